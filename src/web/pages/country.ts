/**
 * The country selection page of the connector side (DESIGN §1 "Connector" step 2): radio
 * buttons in a fieldset with a legend, one submit button, a POST form. The caller lists only
 * the countries it can send the citizen to, names in the page language.
 */
import { assertPageUrl, html, type SafeHtml } from '../html.ts';
import { COUNTRY_TEXT } from '../i18n/country.ts';
import type { Lang } from '../lang.ts';
import { renderPage, type LanguageLinks } from '../layout.ts';

export const COUNTRY_FIELDS = { csrfToken: 'csrf_token', country: 'country' } as const;

export interface CountryChoice {
  /** ISO 3166-1 alpha-2 as eIDAS writes it (EL for Greece). */
  code: string;
  name: string;
}

export interface CountryPage {
  lang: Lang;
  countries: readonly CountryChoice[];
  formAction: string;
  csrfToken: string;
  languageLinks?: LanguageLinks;
}

export function renderCountryPage(page: CountryPage): string {
  const t = COUNTRY_TEXT[page.lang];
  const action = assertPageUrl(page.formAction, 'country form action');
  const body =
    page.countries.length === 0
      ? html`<div class="fr-alert fr-alert--info"><p>${t.none}</p></div>`
      : countryForm(page, action);
  const main = html`<div class="fr-grid-row fr-grid-row--center">
<div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
<h1>${t.heading}</h1>
<p>${t.intro}</p>
${body}
</div>
</div>`;
  return renderPage({ lang: page.lang, title: t.title, main, languageLinks: page.languageLinks });
}

function countryForm(page: CountryPage, action: string): SafeHtml {
  const t = COUNTRY_TEXT[page.lang];
  const radios = page.countries.map((c, i) => {
    const id = `country-${i}`;
    return html`<div class="fr-fieldset__element">
<div class="fr-radio-group">
<input type="radio" id="${id}" name="${COUNTRY_FIELDS.country}" value="${c.code}" required>
<label class="fr-label" for="${id}"><bdi>${c.name}</bdi></label>
</div>
</div>`;
  });
  return html`<form method="post" action="${action}">
<input type="hidden" name="${COUNTRY_FIELDS.csrfToken}" value="${page.csrfToken}">
<fieldset class="fr-fieldset" id="countries">
<legend class="fr-fieldset__legend fr-fieldset__legend--regular" id="countries-legend">${t.legend}<span class="fr-hint-text">${t.hint}</span></legend>
${radios}
</fieldset>
<button class="fr-btn" type="submit">${t.submit}</button>
</form>`;
}
