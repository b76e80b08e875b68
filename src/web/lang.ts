/**
 * The page language, French or English (DESIGN §6). Order, first match wins:
 *  1. `?lang=fr|en` on this request: the citizen just clicked the switch, so it always works;
 *  2. `ui_locales` of the protocol request (OIDC), when the caller passes it;
 *  3. the `pont_lang` cookie the switch left on an earlier page;
 *  4. Accept-Language (RFC 9110 §12.5.4 q-values);
 *  5. French.
 */
import type { Request, Response } from 'express';

export const LANGS = ['fr', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'fr';

/** Query parameter of the language switch links. */
export const LANG_PARAM = 'lang';
/** Cookie that remembers the switch (a preference: no personal data). */
export const LANG_COOKIE = 'pont_lang';
const LANG_COOKIE_MAX_AGE_S = 365 * 24 * 3600;
const MAX_HEADER = 500;

export function isLang(value: unknown): value is Lang {
  return value === 'fr' || value === 'en';
}

function primaryLang(tag: string): Lang | undefined {
  const primary = tag.trim().toLowerCase().split('-')[0];
  return isLang(primary) ? primary : undefined;
}

/** OIDC `ui_locales`: space-separated BCP 47 tags by preference; the first fr or en. */
export function langFromUiLocales(uiLocales: string | undefined): Lang | undefined {
  if (typeof uiLocales !== 'string') return undefined;
  for (const tag of uiLocales.slice(0, MAX_HEADER).split(/\s+/)) {
    const lang = primaryLang(tag);
    if (lang) return lang;
  }
  return undefined;
}

/** The preferred of fr / en in an Accept-Language header; equal q-values: the first listed. */
export function langFromAcceptLanguage(header: string | undefined): Lang | undefined {
  if (typeof header !== 'string') return undefined;
  let best: { lang: Lang; q: number } | undefined;
  for (const part of header.slice(0, MAX_HEADER).split(',')) {
    const [tag = '', ...params] = part.split(';');
    const lang = primaryLang(tag);
    if (!lang) continue;
    const qParam = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0 || q > 1) continue;
    if (!best || q > best.q) best = { lang, q };
  }
  return best?.lang;
}

export interface LanguageInputs {
  /** The `lang` query value (string, array or nothing: only a single valid value counts). */
  query?: unknown;
  uiLocales?: string;
  cookie?: string;
  acceptLanguage?: string;
}

export function negotiateLanguage(input: LanguageInputs): Lang {
  if (isLang(input.query)) return input.query;
  return (
    langFromUiLocales(input.uiLocales) ??
    (isLang(input.cookie) ? input.cookie : undefined) ??
    langFromAcceptLanguage(input.acceptLanguage) ??
    DEFAULT_LANG
  );
}

/** One cookie's value from a Cookie header (no cookie-parser needed for one name). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (typeof header !== 'string') return undefined;
  for (const pair of header.slice(0, 4096).split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/** The language of the page this request gets (reads only; see chooseLanguage to remember a switch). */
export function requestLanguage(req: Request, uiLocales?: string): Lang {
  return negotiateLanguage({
    query: (req.query as Record<string, unknown> | undefined)?.[LANG_PARAM],
    uiLocales,
    cookie: cookieValue(req.get('cookie'), LANG_COOKIE),
    acceptLanguage: req.get('accept-language'),
  });
}

export interface ChooseLanguageOptions {
  uiLocales?: string;
  /** Mark the cookie Secure (the node is reached over HTTPS). */
  secureCookie?: boolean;
}

/** The page language; when the citizen used the switch, remembers it in the cookie. */
export function chooseLanguage(req: Request, res: Response, options: ChooseLanguageOptions = {}): Lang {
  const clicked = (req.query as Record<string, unknown> | undefined)?.[LANG_PARAM];
  if (isLang(clicked)) {
    res.cookie(LANG_COOKIE, clicked, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secureCookie === true,
      maxAge: LANG_COOKIE_MAX_AGE_S * 1000,
    });
  }
  return requestLanguage(req, options.uiLocales);
}
