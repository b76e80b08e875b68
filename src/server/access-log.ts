/**
 * One log line per request: method, path (never the query string: it can carry SAML
 * messages, codes or tokens), status and duration. Probes log at debug level.
 */
import type { RequestHandler } from 'express';
import type { Logger } from '../util/logger.ts';

const PROBES = new Set(['/healthz', '/readyz']);

export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      if (PROBES.has(req.path)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}
