/**
 * FranceConnect's own authorize-parameter rules, on top of what oidc-provider checks
 * (franceconnect.md §3.1): `state` is mandatory and `nonce` has at least 22 characters.
 * A request that breaks them gets a 400 page and no redirect. Only GET is served, as by FranceConnect.
 */
import type { RequestHandler } from 'express';
import { errorPage } from './pages.ts';

export const MIN_NONCE_LENGTH = 22;

function single(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function authorizeRules(): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET') {
      res.status(405).set('Allow', 'GET').type('html').send(errorPage('invalid_request', 'use GET'));
      return;
    }
    const params = req.query;
    const state = single(params.state);
    const nonce = single(params.nonce);
    if (!state) {
      res.status(400).type('html').send(errorPage('invalid_request', 'state is mandatory'));
      return;
    }
    if (!nonce || nonce.length < MIN_NONCE_LENGTH) {
      res.status(400).type('html').send(errorPage('invalid_request', `nonce must have at least ${MIN_NONCE_LENGTH} characters`));
      return;
    }
    next();
  };
}
