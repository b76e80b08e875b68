/** The citizen-facing pages (DESIGN §6): templates, words, language and static assets. */
export { assetsRouter, ASSET_URLS, DSFR_ASSETS_PATH, DSFR_VERSION, PONT_ASSETS_PATH, AUTO_POST_FORM_ID, AUTO_POST_SCRIPT } from './assets.ts';
export { ATTRIBUTE_LABELS, attributeLabel, attributeValueLabel, type LabelledAttribute } from './attributes.ts';
export { citizenError, newSupportCode, type CitizenErrorOptions } from './citizen-error.ts';
export { PageInputError, type PageErrorReason } from './errors.ts';
export { html, raw, escapeHtml, isSafeHtml, assertPageUrl, type SafeHtml, type HtmlValue } from './html.ts';
export { ERROR_KINDS, type ErrorKind } from './i18n/errors.ts';
export {
  chooseLanguage,
  cookieValue,
  DEFAULT_LANG,
  isLang,
  LANG_COOKIE,
  LANG_PARAM,
  langFromAcceptLanguage,
  langFromUiLocales,
  LANGS,
  negotiateLanguage,
  requestLanguage,
  type ChooseLanguageOptions,
  type Lang,
  type LanguageInputs,
} from './lang.ts';
export { renderPage, defaultLanguageLinks, type LanguageLinks, type PageFrame } from './layout.ts';
export { autoPostCsp, renderAutoPost, sendAutoPost, type AutoPostPage } from './pages/auto-post.ts';
export {
  CONSENT_DECISIONS,
  CONSENT_FIELDS,
  renderConsentPage,
  type ConsentAttribute,
  type ConsentDecision,
  type ConsentPage,
  type ConsentRequester,
} from './pages/consent.ts';
export { COUNTRY_FIELDS, renderCountryPage, type CountryChoice, type CountryPage } from './pages/country.ts';
export { renderErrorPage, type ErrorPage } from './pages/error.ts';
