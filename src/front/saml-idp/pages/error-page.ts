/**
 * The citizen error page of the SSO endpoint (DESIGN §1 step 7, §6): what happened and what to
 * do, in French or English, with a support code; never a stack trace, no script, nothing
 * loaded from elsewhere. Minimal markup: the web pages are restyled (DSFR) elsewhere.
 */
import { escapeHtml, type Lang } from './html.ts';

export type PageStatus = 400 | 413 | 500;

const TEXT: Record<Lang, { title: string; what: Record<PageStatus, string>; todo: string; code: string }> = {
  fr: {
    title: 'Connexion impossible',
    what: {
      400: 'La demande de connexion envoyée par le service européen n’a pas pu être acceptée.',
      413: 'La demande de connexion envoyée par le service européen est trop volumineuse.',
      500: 'Une erreur technique nous empêche de traiter votre demande de connexion.',
    },
    todo: 'Retournez sur le service que vous utilisiez et recommencez. Si le problème persiste, contactez son assistance en indiquant ce code :',
    code: 'Code d’assistance',
  },
  en: {
    title: 'Sign-in not possible',
    what: {
      400: 'The sign-in request sent by the European service could not be accepted.',
      413: 'The sign-in request sent by the European service is too large.',
      500: 'A technical error prevents us from handling your sign-in request.',
    },
    todo: 'Go back to the service you were using and try again. If the problem persists, contact its support and give this code:',
    code: 'Support code',
  },
};

export function renderErrorPage(status: PageStatus, lang: Lang, supportCode: string): string {
  const t = TEXT[lang];
  return [
    '<!DOCTYPE html>',
    `<html lang="${lang}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(t.title)} – Pont eIDAS</title></head>`,
    '<body><main>',
    `<h1>${escapeHtml(t.title)}</h1>`,
    `<p>${escapeHtml(t.what[status])}</p>`,
    `<p>${escapeHtml(t.todo)}</p>`,
    `<p>${escapeHtml(t.code)} : <strong>${escapeHtml(supportCode)}</strong></p>`,
    '</main></body></html>',
  ].join('\n');
}
