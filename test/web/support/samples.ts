/** Values for the page tests: markup-special characters and non-Latin scripts in every field. */
import type { ConsentPage, CountryPage, Lang } from '../../../src/web/index.ts';

/** Each would change the page's structure if it were not escaped. */
export const HOSTILE = {
  script: '<script>alert(1)</script>',
  attribute: '"><img src=x onerror=alert(1)>',
  single: "' autofocus onfocus='alert(1)",
  backtick: '`${alert(1)}`',
  entity: '&lt;b&gt; &amp; ]]> <!-- -->',
  xml: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]>&e;',
} as const;

/** Greek, Cyrillic, Arabic (right to left), Hebrew, Chinese, an astral character, combining marks. */
export const SCRIPTS = {
  greek: 'Παπαδοπούλου Ελένη',
  cyrillic: 'Иванова Мария',
  arabic: 'محمد عبد الله',
  hebrew: 'דוד כהן',
  cjk: '山田 太郎',
  astral: 'Ｚoë 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀',
  combining: 'Zoe\u0308 N\u0303u\u00f1ez',
} as const;

export function consentSample(lang: Lang): ConsentPage {
  return {
    lang,
    requester: {
      providerName: `Bürgerservice ${HOSTILE.script} ${SCRIPTS.greek}`,
      requesterId: `https://service.example.de/sp?a=1&b=${HOSTILE.attribute}`,
      country: 'DE',
      countryName: lang === 'fr' ? 'Allemagne' : 'Germany',
    },
    attributes: [
      { key: 'PersonIdentifier', value: 'FR/DE/3bb4c8e1a0d5f27e9c1b' },
      { key: 'FamilyName', value: `D'ARTAGNAN ${HOSTILE.script}` },
      { key: 'FirstName', value: `${SCRIPTS.arabic} ${SCRIPTS.cjk}` },
      { key: 'DateOfBirth', value: '1962-08-24' },
      { key: 'PlaceOfBirth', value: `${HOSTILE.attribute} ${SCRIPTS.cyrillic}` },
      { key: 'BirthName', value: `${HOSTILE.single} ${SCRIPTS.hebrew}` },
      { key: 'Gender', value: HOSTILE.backtick },
      { key: 'CurrentAddress', value: `12 rue de l'Église\n75001 Paris ${HOSTILE.entity} ${SCRIPTS.astral}` },
    ],
    formAction: '/web-test/consent',
    csrfToken: `csrf${HOSTILE.attribute}`,
    flowId: `flow${HOSTILE.single}`,
  };
}

export function countrySample(lang: Lang): CountryPage {
  return {
    lang,
    countries: [
      { code: 'DE', name: lang === 'fr' ? 'Allemagne' : 'Germany' },
      { code: 'EL', name: 'Ελλάδα' },
      { code: 'BG', name: 'България' },
      { code: 'IT', name: `Italia ${HOSTILE.script}` },
      { code: `X${HOSTILE.attribute}`, name: HOSTILE.single },
    ],
    formAction: '/web-test/country',
    csrfToken: `csrf${HOSTILE.xml}`,
  };
}
