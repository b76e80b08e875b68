/**
 * `citizenError`: answer a browser with the error page, the given status and `no-store`. It
 * logs, when given a logger, only the kind, the status and the support code: nothing about the
 * person, the request or the exception.
 */
import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import type { Logger } from '../util/logger.ts';
import type { ErrorKind } from './i18n/errors.ts';
import { requestLanguage, type Lang } from './lang.ts';
import { renderErrorPage } from './pages/error.ts';

export interface CitizenErrorOptions {
  /** A support code already logged by the caller; default: a new one. */
  supportCode?: string;
  logger?: Logger;
}

/** Ten characters, upper-case hex: easy to read out over the phone. */
export function newSupportCode(): string {
  return randomBytes(5).toString('hex').toUpperCase();
}

/** Sends the page and returns the support code it shows. */
export function citizenError(res: Response, status: number, kind: ErrorKind, lang?: Lang, options: CitizenErrorOptions = {}): string {
  const code = options.supportCode ?? newSupportCode();
  const httpStatus = Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
  options.logger?.warn({ event: 'web.citizen_error', kind, status: httpStatus, supportCode: code }, 'citizen error page');
  if (res.headersSent) return code;
  const req = res.req;
  const pageLang = lang ?? requestLanguage(req);
  // A GET shows the same page again in the other language; an answer to a POST cannot.
  const languageLinks = req.method === 'GET' || req.method === 'HEAD' ? undefined : false;
  res.status(httpStatus);
  res.set('Cache-Control', 'no-store');
  res.type('html').send(renderErrorPage({ lang: pageLang, status: httpStatus, kind, supportCode: code, languageLinks }));
  return code;
}
