/**
 * The HTTP application: security headers (helmet), the operations routes and one error
 * handler that answers without a stack trace. Protocol routes are mounted by later parts.
 */
import express, { type ErrorRequestHandler, type Express, type Request, type Response, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from '../util/logger.ts';
import { citizenError, newSupportCode, type ErrorKind } from '../web/index.ts';
import { accessLog } from './access-log.ts';
import type { ReadinessReport } from './readiness.ts';

export interface AppOptions {
  logger: Logger;
  readiness: () => Promise<ReadinessReport>;
  /** True when clients reach the node over HTTPS (publicBaseUrl): HSTS and upgrade-insecure-requests. */
  secureTransport?: boolean;
  /** Our two signed metadata documents (src/metadata/publish metadataRouter). */
  metadataRouter?: Router;
  /** The protocol flows, page assets and (development only) mocks, mounted at the root in this order. */
  routers?: readonly Router[];
}

export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // No body hash on pages (the consent page holds personal data); metadata sets its own ETag.
  app.set('etag', false);
  const https = options.secureTransport === true;
  app.use(
    helmet({
      strictTransportSecurity: https,
      // Over plain http (development), upgrading sub-requests to https would break every page.
      // No page of ours is ever framed (clickjacking on the consent page).
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: https ? [] : null, frameAncestors: ["'none'"] } },
      frameguard: { action: 'deny' },
    }),
  );
  app.use(accessLog(options.logger));
  app.use(['/healthz', '/readyz'], (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const report = await options.readiness();
    res.status(report.status === 'ready' ? 200 : 503).json(report);
  });

  if (options.metadataRouter) app.use(options.metadataRouter);
  for (const router of options.routers ?? []) app.use(router);

  app.use((req, res) => {
    answer(req, res, 404, 'not_found', 'not-found');
  });
  app.use(errorHandler(options.logger));
  return app;
}

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const status = statusOf(err);
    if (status >= 500) logger.error({ err: { name: (err as Error)?.name, message: (err as Error)?.message }, path: req.path }, 'request failed');
    if (res.headersSent) return;
    if (status >= 500) answer(req, res, status, 'internal_error', 'internal');
    else answer(req, res, status, 'bad_request', 'request-invalid');
  };
}

/** A browser gets the citizen page in its language, with a support code; a program gets JSON. */
function answer(req: Request, res: Response, status: number, error: string, kind: ErrorKind): void {
  if (req.accepts(['json', 'html']) === 'html') citizenError(res, status, kind, undefined, { supportCode: newSupportCode() });
  else res.status(status).json({ error });
}

function statusOf(err: unknown): number {
  const s = (err as { status?: unknown; statusCode?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode;
  return typeof s === 'number' && s >= 400 && s < 600 ? s : 500;
}
