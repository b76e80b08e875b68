/**
 * Server-side HTML with one rule: every interpolated value is escaped unless it is a
 * `SafeHtml` (built by this tag, or by `raw()` for our own constant fragments).
 *
 * Why no template engine: our pages are a handful of small, static layouts. An engine would add
 * a dependency, a second escaping syntax (and its "unescaped" variant) to review, and a runtime
 * file loader; a tagged template keeps escaping the default that cannot be forgotten, is checked
 * by TypeScript, and is short enough to read in full.
 */
import { PageInputError } from './errors.ts';

const BRAND = Symbol('SafeHtml');

/** A fragment of HTML that is already safe to insert as is. */
export interface SafeHtml {
  readonly [BRAND]: true;
  readonly html: string;
  toString(): string;
}

function safe(html: string): SafeHtml {
  return Object.freeze({ [BRAND]: true as const, html, toString: () => html });
}

export function isSafeHtml(value: unknown): value is SafeHtml {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}

/** Only for our own trusted, constant fragments (never for a value from a request or a peer). */
export function raw(trustedHtml: string): SafeHtml {
  return safe(trustedHtml);
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes for text and for quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

/** A value a template may hold: escaped text, safe HTML, a list of them, or nothing. */
export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return escapeHtml(String(value));
  if (Array.isArray(value)) return value.map(render).join('');
  if (isSafeHtml(value)) return value.html;
  throw new PageInputError('VALUE_NOT_RENDERABLE', `a template value of type ${typeof value}`);
}

/** The tag: html`<p>${userText}</p>` escapes userText. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + (strings[i + 1] ?? '');
  return safe(out);
}

/**
 * A URL we put in `href` / `action`: an absolute http(s) URL or a path on our origin.
 * Refuses `javascript:`, `data:`, protocol-relative `//host` and anything unparsable.
 */
export function assertPageUrl(url: string, what: string): string {
  if (/^\/(?![/\\])/.test(url) || /^\?[^\s]*$/.test(url)) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PageInputError('URL_NOT_ALLOWED', `${what} is neither an http(s) URL nor a path`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new PageInputError('URL_NOT_ALLOWED', `${what} has scheme ${parsed.protocol}`);
  }
  return url;
}
