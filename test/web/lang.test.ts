/** Page language (DESIGN §6): switch, then ui_locales, then the remembered switch, then the browser, then French. */
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { chooseLanguage, cookieValue, LANG_COOKIE, negotiateLanguage, type LanguageInputs, type Lang } from '../../src/web/index.ts';

const TABLE: [string, LanguageInputs, Lang][] = [
  ['nothing at all', {}, 'fr'],
  ['browser English', { acceptLanguage: 'en-GB,en;q=0.9' }, 'en'],
  ['browser French', { acceptLanguage: 'fr-FR,fr;q=0.9,en;q=0.8' }, 'fr'],
  ['browser German then English', { acceptLanguage: 'de-DE,de;q=0.9,en;q=0.5' }, 'en'],
  ['browser English weighed below French', { acceptLanguage: 'en;q=0.4,fr;q=0.6' }, 'fr'],
  ['browser equal weights: first listed', { acceptLanguage: 'en;q=0.5,fr;q=0.5' }, 'en'],
  ['browser refuses English (q=0)', { acceptLanguage: 'en;q=0,de' }, 'fr'],
  ['browser only German', { acceptLanguage: 'de,it;q=0.5' }, 'fr'],
  ['browser garbage', { acceptLanguage: ';;,,q=x,en;q=abc' }, 'fr'],
  ['browser wildcard only', { acceptLanguage: '*' }, 'fr'],
  ['ui_locales English beats the browser', { uiLocales: 'en', acceptLanguage: 'fr' }, 'en'],
  ['ui_locales: first supported tag', { uiLocales: 'de-DE en-US fr', acceptLanguage: 'fr' }, 'en'],
  ['ui_locales unsupported only: the cookie', { uiLocales: 'de it', cookie: 'en', acceptLanguage: 'fr' }, 'en'],
  ['ui_locales beats the remembered switch', { uiLocales: 'fr-CA', cookie: 'en' }, 'fr'],
  ['cookie beats the browser', { cookie: 'en', acceptLanguage: 'fr' }, 'en'],
  ['cookie with a bad value is ignored', { cookie: 'de', acceptLanguage: 'en' }, 'en'],
  ['the switch just clicked beats ui_locales', { query: 'en', uiLocales: 'fr' }, 'en'],
  ['the switch beats everything', { query: 'fr', uiLocales: 'en', cookie: 'en', acceptLanguage: 'en' }, 'fr'],
  ['switch with a bad value is ignored', { query: 'xx', acceptLanguage: 'en' }, 'en'],
  ['switch given twice (array) is ignored', { query: ['en', 'fr'], acceptLanguage: 'fr' }, 'fr'],
  ['switch in upper case is not a language', { query: 'EN' }, 'fr'],
];

describe('negotiateLanguage', () => {
  it.each(TABLE)('%s', (_name, input, expected) => {
    expect(negotiateLanguage(input)).toBe(expected);
  });
});

describe('cookieValue', () => {
  it('reads one cookie among others and ignores look-alike names', () => {
    expect(cookieValue('a=1; pont_lang=en; b=2', LANG_COOKIE)).toBe('en');
    expect(cookieValue('xpont_lang=en; pont_langx=fr', LANG_COOKIE)).toBeUndefined();
    expect(cookieValue(undefined, LANG_COOKIE)).toBeUndefined();
  });
});

describe('chooseLanguage over HTTP', () => {
  const app = express();
  app.get('/p', (req, res) => {
    res.send(chooseLanguage(req, res, { secureCookie: req.get('x-secure') === '1' }));
  });

  it('a click on the switch answers in that language and remembers it in an HttpOnly, SameSite=Lax cookie', async () => {
    const r = await request(app).get('/p?lang=en').set('Accept-Language', 'fr').set('x-secure', '1');
    expect(r.text).toBe('en');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toMatch(/^pont_lang=en; /);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/Path=\//);
  });

  it('the next page without the switch keeps the remembered language; no cookie is set without a click', async () => {
    const r = await request(app).get('/p').set('Cookie', 'pont_lang=en').set('Accept-Language', 'fr');
    expect(r.text).toBe('en');
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('an invalid switch value sets no cookie', async () => {
    const r = await request(app).get('/p?lang=%3Cscript%3E');
    expect(r.text).toBe('fr');
    expect(r.headers['set-cookie']).toBeUndefined();
  });
});
