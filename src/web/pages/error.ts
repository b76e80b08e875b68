/**
 * The citizen error page (DESIGN §1 step 7, §6): a title, what happened, what to do, and a
 * support code, in French or English. It shows only our own words for a known kind, never an
 * exception's text.
 */
import { html } from '../html.ts';
import { ERROR_TEXT, type ErrorKind } from '../i18n/errors.ts';
import type { Lang } from '../lang.ts';
import { renderPage, type LanguageLinks } from '../layout.ts';

export interface ErrorPage {
  lang: Lang;
  /** The HTTP status the page goes with (shown as "Erreur 400"). */
  status: number;
  kind: ErrorKind;
  /** Support code that the logs carry too. */
  supportCode: string;
  languageLinks?: LanguageLinks;
}

export function renderErrorPage(page: ErrorPage): string {
  const t = ERROR_TEXT[page.lang];
  const k = t.kinds[page.kind];
  const main = html`<div class="fr-grid-row fr-grid-row--center">
<div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
<h1>${k.title}</h1>
<p class="fr-text--sm fr-mb-3w">${t.statusLine(page.status)}</p>
<h2 class="fr-h5">${t.whatHeading}</h2>
<p>${k.what}</p>
<h2 class="fr-h5">${t.todoHeading}</h2>
<p>${k.todo}</p>
<div class="fr-callout">
<p class="fr-callout__title">${t.supportCodeLabel} <span class="pont-support-code">${page.supportCode}</span></p>
<p class="fr-callout__text">${t.supportCodeHelp}</p>
</div>
</div>
</div>`;
  return renderPage({ lang: page.lang, title: k.title, main, languageLinks: page.languageLinks });
}
