/**
 * The consent (R-SEC-11, R-RSP-09), error, country and auto-post pages (DESIGN §6): every value
 * escaped whatever its characters (ATK-49), both languages, the frame on every page.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NATURAL_PERSON_ATTRIBUTES, attributeDefinition } from '../../src/metadata/publish/attributes.ts';
import {
  ATTRIBUTE_LABELS,
  ERROR_KINDS,
  LANGS,
  PageInputError,
  attributeLabel,
  attributeValueLabel,
  renderConsentPage,
  renderCountryPage,
  renderErrorPage,
  type ConsentPage,
  type CountryPage,
  type Lang,
} from '../../src/web/index.ts';
import { HOSTILE, SCRIPTS, consentSample, countrySample } from './support/samples.ts';

/** The page's markup skeleton: the characters that open, close and quote tags and attributes. */
const skeleton = (page: string): string => page.replace(/[^<>"']/g, '');
const unescape = (s: string): string =>
  s.replace(/&(lt|gt|quot|#39|#96|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", '#96': '`', amp: '&' })[e]!);
const cells = (page: string): string[] => [...page.matchAll(/<td dir="auto"><span class="pont-value">([\s\S]*?)<\/span><\/td>/g)].map((m) => unescape(m[1]!));
const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '');

function consentWith(lang: Lang, v: string[]): ConsentPage {
  return {
    lang,
    requester: { providerName: v[0], requesterId: v[1], country: v[2]!, countryName: v[3]! },
    attributes: [
      { key: v[4]!, value: v[5]! },
      { key: 'FamilyName', label: v[6], value: v[7]! },
    ],
    formAction: '/c',
    csrfToken: v[8]!,
    flowId: v[9],
  };
}

describe('frame of every page, both languages', () => {
  const pages = (lang: Lang) => ({
    consent: renderConsentPage(consentSample(lang)),
    error: renderErrorPage({ lang, status: 400, kind: 'request-invalid', supportCode: 'A1B2C3D4E5' }),
    country: renderCountryPage(countrySample(lang)),
  });

  it.each(LANGS)('%s: <html lang>, skip links, header with the République Française block and "Pont eIDAS", main, footer, switch', (lang) => {
    for (const page of Object.values(pages(lang))) {
      expect(page.startsWith('<!DOCTYPE html>\n<html lang="' + lang + '">')).toBe(true);
      expect(page).toContain('<a class="fr-link" href="#content">');
      expect(page).toContain('<a class="fr-link" href="#footer">');
      expect(page).toMatch(/<header class="fr-header[^"]*">[\s\S]*<p class="fr-logo" lang="fr">République<br>Française<\/p>[\s\S]*<p class="fr-header__service-title">Pont eIDAS<\/p>/);
      expect(page).toContain('<main id="content"');
      expect(page).toContain('<footer class="fr-footer" id="footer">');
      expect(page).toContain('href="?lang=fr" lang="fr" hreflang="fr"');
      expect(page).toContain('href="?lang=en" lang="en" hreflang="en"');
      expect(page).toMatch(new RegExp(`hreflang="${lang}" aria-current="true"`));
      expect(page).toMatch(/<link rel="stylesheet" href="\/assets\/dsfr\/[0-9.]+\/dsfr\.min\.css">/);
    }
  });

  it.each(LANGS)('%s: no inline script, no script at all, no style attribute (helmet CSP), nothing from another origin', (lang) => {
    for (const page of Object.values(pages(lang))) {
      const tags = (page.match(/<[^>]*>/g) ?? []).map((t) => t.replace(/"[^"]*"/g, '""'));
      expect(tags.filter((t) => /^<(script|style)\b/i.test(t))).toEqual([]);
      expect(tags.filter((t) => /\s(style|on[a-z]+)=/i.test(t))).toEqual([]);
      expect(page).not.toMatch(/(src|href)="(https?:)?\/\/(?!www\.(info|service-public|legifrance|data)\.gouv\.fr|github\.com\/etalab)/);
    }
  });

  it('the words differ between French and English', () => {
    expect(renderConsentPage(consentSample('fr'))).toContain('>Accepter</button>');
    expect(renderConsentPage(consentSample('fr'))).toContain('>Refuser</button>');
    expect(renderConsentPage(consentSample('en'))).toContain('>Accept</button>');
    expect(renderConsentPage(consentSample('en'))).toContain('>Refuse</button>');
    expect(renderConsentPage(consentSample('en'))).toContain('<title>Sharing your data – Pont eIDAS</title>');
  });
});

describe('consent page', () => {
  it('ATK-49: whatever the values (any Unicode grapheme, markup characters), the markup skeleton is the same', () => {
    const baseline = skeleton(renderConsentPage(consentWith('fr', Array(10).fill('x'))));
    fc.assert(
      fc.property(fc.constantFrom(...LANGS), fc.array(text, { minLength: 10, maxLength: 10 }), (lang, values) => {
        const page = renderConsentPage(consentWith(lang, values));
        expect(skeleton(page)).toBe(lang === 'fr' ? baseline : skeleton(renderConsentPage(consentWith('en', Array(10).fill('x')))));
      }),
      { numRuns: 60 },
    );
  });

  it.each(LANGS)('%s: a <script> value appears as text; every value comes back exactly, non-Latin scripts included', (lang) => {
    const sample = consentSample(lang);
    const page = renderConsentPage(sample);
    expect(cells(page)).toEqual(sample.attributes.map((a) => a.value));
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain(HOSTILE.script);
    for (const s of [SCRIPTS.arabic, SCRIPTS.cjk, SCRIPTS.cyrillic, SCRIPTS.hebrew, SCRIPTS.greek]) expect(page).toContain(s);
  });

  it.each(LANGS)('%s: says who asks (service name, RequesterID, country in words and code)', (lang) => {
    const page = renderConsentPage(consentSample(lang));
    expect(page).toContain('<strong><bdi>Bürgerservice &lt;script&gt;alert(1)&lt;/script&gt; Παπαδοπούλου Ελένη</bdi></strong>');
    expect(page).toContain('https://service.example.de/sp?a=1&amp;b=&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain(lang === 'fr' ? '<bdi>Allemagne</bdi> (DE)' : '<bdi>Germany</bdi> (DE)');
  });

  it('without ProviderName, the RequesterID names the service; without both, a generic phrase', () => {
    const s = consentSample('en');
    const byId = renderConsentPage({ ...s, requester: { ...s.requester, providerName: undefined } });
    expect(byId).toMatch(/The service <strong><bdi>https:\/\/service\.example\.de/);
    const none = renderConsentPage({ ...s, requester: { country: 'DE', countryName: 'Germany' } });
    expect(none).toContain('A European public service (<bdi>Germany</bdi>) asks for the data below');
    expect(none).not.toContain('Technical identifier');
  });

  it.each(LANGS)('%s: a POST form with the CSRF token, the flow id and two submit buttons decision=accept / decision=refuse, and explains refusal', (lang) => {
    const page = renderConsentPage(consentSample(lang));
    expect(page).toContain('<form method="post" action="/web-test/consent">');
    expect(page).toContain('<input type="hidden" name="csrf_token" value="csrf&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">');
    expect(page).toContain('<input type="hidden" name="flow_id" value="flow&#39; autofocus onfocus=&#39;alert(1)">');
    expect(page).toMatch(/<button class="fr-btn" type="submit" name="decision" value="accept">/);
    expect(page).toMatch(/<button class="fr-btn fr-btn--secondary" type="submit" name="decision" value="refuse">/);
    expect(page.indexOf('value="accept"')).toBeLessThan(page.indexOf('value="refuse"'));
    expect(page).toContain(
      lang === 'fr'
        ? 'Si vous refusez, vous retournez sur le service sans qu’aucune donnée ne lui soit transmise.'
        : 'If you refuse, you go back to the service and none of your data is shared with it.',
    );
  });

  it('refuses a javascript: form action (URL_NOT_ALLOWED)', () => {
    expect(() => renderConsentPage({ ...consentSample('fr'), formAction: 'javascript:alert(1)' })).toThrow(PageInputError);
  });
});

describe('attribute labels (R-ATT-02 natural person)', () => {
  const BRIEF = ['PersonIdentifier', 'CurrentFamilyName', 'CurrentGivenName', 'DateOfBirth', 'PlaceOfBirth', 'BirthName', 'Gender', 'CurrentAddress'];

  it.each(BRIEF)('%s has a French and an English label', (key) => {
    const fr = attributeLabel(key, 'fr');
    const en = attributeLabel(key, 'en');
    expect(fr).toBeTruthy();
    expect(en).toBeTruthy();
    expect(fr).not.toBe(key);
  });

  it.each([
    ['Gender', 'Female', 'fr', 'Féminin'],
    ['http://eidas.europa.eu/attributes/naturalperson/Gender', 'Male', 'fr', 'Masculin'],
    ['Gender', 'Unspecified', 'en', 'Unspecified'],
    ['Gender', 'Other', 'fr', 'Other'],
    ['CurrentFamilyName', 'Female', 'fr', 'Female'],
  ] as const)('the consent page shows %s=%s in %s as %s (coded values in words, others untouched)', (key, value, lang, shown) => {
    expect(attributeValueLabel(key, value, lang)).toBe(shown);
  });

  it('every attribute the metadata publishes has labels, by FriendlyName and by Name URI', () => {
    for (const friendly of NATURAL_PERSON_ATTRIBUTES) {
      for (const lang of LANGS) {
        expect(attributeLabel(friendly, lang), friendly).toBeTruthy();
        expect(attributeLabel(attributeDefinition(friendly).name, lang)).toBe(attributeLabel(friendly, lang));
      }
    }
    expect(attributeLabel('FamilyName', 'fr')).toBe(ATTRIBUTE_LABELS.CurrentFamilyName.fr);
    expect(attributeLabel('FirstName', 'en')).toBe(ATTRIBUTE_LABELS.CurrentGivenName.en);
  });

  it('an unknown key (even an Object.prototype name) has no label, and the page shows the key', () => {
    for (const k of ['constructor', '__proto__', 'toString', 'Unknown']) expect(attributeLabel(k, 'fr')).toBeUndefined();
    const page = renderConsentPage({ ...consentSample('fr'), attributes: [{ key: 'constructor', value: 'v' }] });
    expect(page).toContain('<th scope="row">constructor</th>');
  });
});

describe('error page', () => {
  it.each(LANGS.flatMap((lang) => ERROR_KINDS.map((kind) => [lang, kind] as const)))('%s %s: title, what happened, what to do, support code', (lang, kind) => {
    const page = renderErrorPage({ lang, status: 400, kind, supportCode: '0A1B2C3D4E' });
    expect(page).toMatch(/<h1>[^<]+<\/h1>/);
    expect(page).toContain(lang === 'fr' ? 'Ce qui s’est passé' : 'What happened');
    expect(page).toContain(lang === 'fr' ? 'Ce que vous pouvez faire' : 'What you can do');
    expect(page).toContain('<span class="pont-support-code">0A1B2C3D4E</span>');
    expect(page).toContain(lang === 'fr' ? 'Erreur 400' : 'Error 400');
  });

  it('every kind has its own title in each language', () => {
    for (const lang of LANGS) {
      const titles = ERROR_KINDS.map((kind) => /<h1>([^<]+)<\/h1>/.exec(renderErrorPage({ lang, status: 500, kind, supportCode: 'X' }))![1]);
      expect(new Set(titles).size).toBe(ERROR_KINDS.length);
    }
  });

  it('a support code is escaped like any value', () => {
    const page = renderErrorPage({ lang: 'fr', status: 500, kind: 'internal', supportCode: HOSTILE.script });
    expect(page).not.toContain(HOSTILE.script);
    expect(page).toContain('&lt;script&gt;');
  });
});

describe('country page', () => {
  it.each(LANGS)('%s: radios in a fieldset with a legend, each with its label, required, one submit button', (lang) => {
    const sample: CountryPage = countrySample(lang);
    const page = renderCountryPage(sample);
    expect(page).toMatch(/<fieldset class="fr-fieldset" id="countries">\s*<legend class="fr-fieldset__legend[^"]*" id="countries-legend">/);
    const radios = [...page.matchAll(/<input type="radio" id="([^"]+)" name="country" value="([^"]*)" required>\s*<label class="fr-label" for="([^"]+)">/g)];
    expect(radios).toHaveLength(sample.countries.length);
    for (const r of radios) expect(r[1]).toBe(r[3]);
    expect(radios.map((r) => unescape(r[2]!))).toEqual(sample.countries.map((c) => c.code));
    expect(page).toContain('<bdi>Ελλάδα</bdi>');
    expect(page).toContain('<bdi>Italia &lt;script&gt;alert(1)&lt;/script&gt;</bdi>');
    expect(page).toContain(lang === 'fr' ? '>Continuer</button>' : '>Continue</button>');
  });

  it('no country available: a message and no form', () => {
    const page = renderCountryPage({ ...countrySample('en'), countries: [] });
    expect(page).toContain('No country is available at the moment.');
    expect(page).not.toContain('<form');
  });
});
