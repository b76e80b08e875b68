/**
 * The consent page (DESIGN §1 step 5, issue 4 item 4): who asks (ProviderName / RequesterID,
 * country in words), which attributes with their values, and a POST form with two submit
 * buttons, decision=accept / decision=refuse. Keyboard and no-JavaScript by construction: plain
 * buttons in a plain form. Names and values are wrapped in <bdi> / dir="auto" so right-to-left
 * scripts do not reorder the sentence around them.
 */
import { attributeLabel } from '../attributes.ts';
import { assertPageUrl, html, type SafeHtml } from '../html.ts';
import { CONSENT_TEXT } from '../i18n/consent.ts';
import type { Lang } from '../lang.ts';
import { renderPage, type LanguageLinks } from '../layout.ts';

/** Names of the form fields the consent POST carries. */
export const CONSENT_FIELDS = { csrfToken: 'csrf_token', flowId: 'flow_id', decision: 'decision' } as const;
export const CONSENT_DECISIONS = ['accept', 'refuse'] as const;
export type ConsentDecision = (typeof CONSENT_DECISIONS)[number];

export interface ConsentRequester {
  /** ProviderName of the AuthnRequest, when present. */
  providerName?: string;
  /** RequesterID (the end service), when present. */
  requesterId?: string;
  /** ISO 3166-1 alpha-2 of the requesting country (eIDAS uses EL for Greece). */
  country: string;
  /** The country in words, in the page language. */
  countryName: string;
}

export interface ConsentAttribute {
  /** Attribute local name, FriendlyName or Name URI (labels from ATTRIBUTE_LABELS). */
  key: string;
  /** Overrides the table's label; default: ATTRIBUTE_LABELS, else the key. */
  label?: string;
  /** The value as it will be sent (several lines allowed, e.g. an address). */
  value: string;
}

export interface ConsentPage {
  lang: Lang;
  requester: ConsentRequester;
  attributes: readonly ConsentAttribute[];
  /** Where the form posts (our consent endpoint). */
  formAction: string;
  csrfToken: string;
  flowId?: string;
  languageLinks?: LanguageLinks;
}

export function renderConsentPage(page: ConsentPage): string {
  const t = CONSENT_TEXT[page.lang];
  const action = assertPageUrl(page.formAction, 'consent form action');
  const main = html`<div class="fr-grid-row fr-grid-row--center">
<div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
<h1>${t.heading}</h1>
<p class="fr-text--lead">${intro(page)}</p>
${requesterDetails(page)}
${attributeTable(page)}
<p>${t.source}</p>
<div class="fr-callout fr-mb-4w"><p class="fr-callout__text">${t.refuseExplained}</p></div>
<form method="post" action="${action}">
<input type="hidden" name="${CONSENT_FIELDS.csrfToken}" value="${page.csrfToken}">
${page.flowId === undefined ? '' : html`<input type="hidden" name="${CONSENT_FIELDS.flowId}" value="${page.flowId}">`}
<ul class="fr-btns-group fr-btns-group--inline-md">
<li><button class="fr-btn" type="submit" name="${CONSENT_FIELDS.decision}" value="accept">${t.accept}</button></li>
<li><button class="fr-btn fr-btn--secondary" type="submit" name="${CONSENT_FIELDS.decision}" value="refuse">${t.refuse}</button></li>
</ul>
</form>
</div>
</div>`;
  return renderPage({ lang: page.lang, title: t.title, main, languageLinks: page.languageLinks });
}

function intro(page: ConsentPage): SafeHtml {
  const t = CONSENT_TEXT[page.lang];
  const { providerName, requesterId, countryName } = page.requester;
  const name = nonEmpty(providerName) ?? nonEmpty(requesterId);
  const country = html`<bdi>${countryName}</bdi>`;
  return name === undefined ? t.introUnnamed(country) : t.intro(html`<strong><bdi>${name}</bdi></strong>`, country);
}

function requesterDetails(page: ConsentPage): SafeHtml {
  const t = CONSENT_TEXT[page.lang];
  const { providerName, requesterId, country, countryName } = page.requester;
  const provider = nonEmpty(providerName);
  const requester = nonEmpty(requesterId);
  return html`<h2 class="fr-h5">${t.whoHeading}</h2>
<dl class="pont-details">
${provider === undefined ? '' : html`<dt>${t.serviceLabel}</dt><dd><bdi>${provider}</bdi></dd>`}
${requester === undefined ? '' : html`<dt>${t.requesterIdLabel}</dt><dd class="pont-value"><bdi>${requester}</bdi></dd>`}
<dt>${t.countryLabel}</dt><dd><bdi>${countryName}</bdi> (${country})</dd>
</dl>`;
}

function attributeTable(page: ConsentPage): SafeHtml {
  const t = CONSENT_TEXT[page.lang];
  const rows = page.attributes.map(
    (a) =>
      html`<tr><th scope="row">${a.label ?? attributeLabel(a.key, page.lang) ?? a.key}</th><td dir="auto"><span class="pont-value">${a.value}</span></td></tr>`,
  );
  return html`<div class="fr-table fr-table--no-scroll">
<div class="fr-table__wrapper">
<div class="fr-table__container">
<div class="fr-table__content">
<table>
<caption>${t.tableCaption}</caption>
<thead><tr><th scope="col">${t.attributeColumn}</th><th scope="col">${t.valueColumn}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</div>
</div>
</div>
</div>`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
