/**
 * The pages behind the real application frame (src/server/app.ts: helmet and its default CSP),
 * for supertest and the browser: the assets router, each page on a GET, and POST targets that
 * echo what the forms sent. The router goes in through createApp's only router option.
 */
import { Writable } from 'node:stream';
import express, { type Express } from 'express';
import { createApp } from '../../../src/server/app.ts';
import { createLogger, type Logger } from '../../../src/util/logger.ts';
import {
  assetsRouter,
  chooseLanguage,
  citizenError,
  ERROR_KINDS,
  renderConsentPage,
  renderCountryPage,
  sendAutoPost,
  type ErrorKind,
} from '../../../src/web/index.ts';
import { consentSample, countrySample, HOSTILE } from './samples.ts';

export function capturingLogger(lines: string[]): Logger {
  return createLogger({
    level: 'debug',
    destination: new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }),
  });
}

export function pageApp(logLines: string[] = []): Express {
  const logger = capturingLogger(logLines);
  const router = express.Router();
  router.use(assetsRouter());
  router.get('/web-test/consent', (req, res) => {
    res.type('html').send(renderConsentPage(consentSample(chooseLanguage(req, res))));
  });
  router.get('/web-test/country', (req, res) => {
    res.type('html').send(renderCountryPage(countrySample(chooseLanguage(req, res))));
  });
  router.get('/web-test/error/:kind', (req, res) => {
    const kind = ERROR_KINDS.find((k) => k === req.params.kind) ?? 'not-found';
    citizenError(res, kind === 'service-unavailable' ? 503 : 400, kind as ErrorKind, undefined, { logger });
  });
  router.post('/web-test/error', (_req, res) => {
    citizenError(res, 500, 'internal', undefined, { logger });
  });
  // ?cross=1: the form goes to another origin (localhost instead of 127.0.0.1), as to a real ACS.
  router.get('/web-test/auto-post', (req, res) => {
    const host = req.query.cross === '1' ? `localhost:${req.socket.localPort}` : req.get('host');
    const target = `${req.protocol}://${host}/web-test/received`;
    sendAutoPost(res, {
      lang: chooseLanguage(req, res),
      action: target,
      fields: { SAMLResponse: `PHNhbWxwOlJlc3BvbnNl${HOSTILE.attribute}`, RelayState: HOSTILE.script },
    });
  });
  router.post(['/web-test/consent', '/web-test/country', '/web-test/received'], express.urlencoded({ extended: false, limit: '16kb' }), (req, res) => {
    res.json({ path: req.path, body: req.body as Record<string, string> });
  });
  return createApp({
    logger,
    readiness: async () => ({ status: 'ready', checks: {}, warnings: [] }),
    metadataRouter: router,
  });
}
