/**
 * The frame of every page (DSFR 1.x markup): `<html lang>`, skip links, header with the
 * "République Française" block and the service name, the language switch (plain links: works
 * without JavaScript), `<main id="content">`, footer. Styles from our origin only.
 */
import { ASSET_URLS } from './assets.ts';
import { assertPageUrl, html, type SafeHtml } from './html.ts';
import { FOOTER_LINKS, LANGUAGE_NAMES, LAYOUT_TEXT, LICENCE_URL } from './i18n/layout.ts';
import { LANG_PARAM, LANGS, type Lang } from './lang.ts';

/** Where the switch links go: the same page in the other language, or no switch at all. */
export type LanguageLinks = false | Readonly<Record<Lang, string>>;

export interface PageFrame {
  lang: Lang;
  /** The page's own title (the <title> adds the service name). */
  title: string;
  main: SafeHtml;
  /**
   * Default: `?lang=fr` / `?lang=en` on the current path (its query is dropped). `false` for a
   * page that a GET cannot show again (an answer to a POST, the auto-post page).
   */
  languageLinks?: LanguageLinks;
}

export function defaultLanguageLinks(): Record<Lang, string> {
  return { fr: `?${LANG_PARAM}=fr`, en: `?${LANG_PARAM}=en` };
}

export function renderPage(frame: PageFrame): string {
  const t = LAYOUT_TEXT[frame.lang];
  const links = frame.languageLinks === undefined ? defaultLanguageLinks() : frame.languageLinks;
  const page = html`<!DOCTYPE html>
<html lang="${frame.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
<meta name="format-detection" content="telephone=no">
<meta name="robots" content="noindex, nofollow">
<title>${frame.title} – ${t.serviceName}</title>
<link rel="stylesheet" href="${ASSET_URLS.dsfrCss}">
<link rel="stylesheet" href="${ASSET_URLS.pontCss}">
<link rel="icon" href="${ASSET_URLS.faviconSvg}" type="image/svg+xml">
<link rel="icon" href="${ASSET_URLS.faviconIco}" sizes="any">
<link rel="apple-touch-icon" href="${ASSET_URLS.appleTouchIcon}">
</head>
<body>
<div class="fr-skiplinks">
<nav class="fr-container" aria-label="${t.skipLinks}">
<ul class="fr-skiplinks__list">
<li><a class="fr-link" href="#content">${t.skipToContent}</a></li>
<li><a class="fr-link" href="#footer">${t.skipToFooter}</a></li>
</ul>
</nav>
</div>
${header(frame.lang, links)}
<main id="content" class="pont-main" tabindex="-1">
<div class="fr-container fr-py-6w">
${frame.main}
</div>
</main>
${footer(frame.lang)}
</body>
</html>
`;
  return page.html;
}

function header(lang: Lang, links: LanguageLinks): SafeHtml {
  const t = LAYOUT_TEXT[lang];
  return html`<header class="fr-header pont-header">
<div class="fr-header__body">
<div class="fr-container">
<div class="fr-header__body-row">
<div class="fr-header__brand">
<div class="fr-header__brand-top">
<div class="fr-header__logo"><p class="fr-logo" lang="fr">République<br>Française</p></div>
</div>
<div class="fr-header__service">
<p class="fr-header__service-title">${t.serviceName}</p>
<p class="fr-header__service-tagline">${t.serviceTagline}</p>
</div>
</div>
${links === false ? '' : languageSwitch(lang, links)}
</div>
</div>
</div>
</header>`;
}

function languageSwitch(lang: Lang, links: Readonly<Record<Lang, string>>): SafeHtml {
  const items = LANGS.map((l) => {
    const current = l === lang;
    const href = assertPageUrl(links[l], 'language link');
    return html`<li><a class="fr-btn fr-btn--tertiary-no-outline" href="${href}" lang="${l}" hreflang="${l}"${
      current ? html` aria-current="true"` : ''
    }>${l.toUpperCase()} – ${LANGUAGE_NAMES[l]}</a></li>`;
  });
  return html`<div class="fr-header__tools">
<nav class="fr-header__tools-links pont-lang" aria-label="${LAYOUT_TEXT[lang].languageNav}">
<ul class="fr-btns-group">
${items}
</ul>
</nav>
</div>`;
}

function footer(lang: Lang): SafeHtml {
  const t = LAYOUT_TEXT[lang];
  const external = FOOTER_LINKS.map(
    (l) =>
      html`<li class="fr-footer__content-item"><a class="fr-footer__content-link" href="${l.href}" target="_blank" rel="noopener noreferrer" title="${l.label} – ${t.newWindow}">${l.label}</a></li>`,
  );
  return html`<footer class="fr-footer" id="footer">
<div class="fr-container">
<div class="fr-footer__body">
<div class="fr-footer__brand"><p class="fr-logo" lang="fr">République<br>Française</p></div>
<div class="fr-footer__content">
<p class="fr-footer__content-desc">${t.footerDescription}</p>
<ul class="fr-footer__content-list">
${external}
</ul>
</div>
</div>
<div class="fr-footer__bottom">
<ul class="fr-footer__bottom-list">
<li class="fr-footer__bottom-item"><span class="fr-footer__bottom-link">${t.accessibility}</span></li>
</ul>
<div class="fr-footer__bottom-copy">
<p>${t.licencePrefix} <a href="${LICENCE_URL}" target="_blank" rel="noopener noreferrer" title="${t.licenceName} – ${t.newWindow}">${t.licenceName}</a></p>
</div>
</div>
</div>
</footer>`;
}
