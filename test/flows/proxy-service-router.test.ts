/**
 * The proxy-service router alone, inside the real application frame (createApp: helmet, express
 * settings) and on a real FlowStore (PGlite), with the SAML front and the FranceConnect client
 * replaced by recorders: what an end-to-end walk cannot pin down deterministically (two requests
 * of one flow racing) and the headers of the consent page.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OidcRpError, type OidcRp } from '../../src/back/oidc-rp/index.ts';
import { PROXY_FLOW_COOKIE, PROXY_FLOW_KIND, PROXY_FLOW_TTL_MS, proxyServiceRouter, type ProxyFlowState } from '../../src/flow/index.ts';
import type { SamlIdp, ValidatedRequest } from '../../src/front/saml-idp/index.ts';
import { createApp } from '../../src/server/app.ts';
import { FlowStore, IN_MEMORY, migrate, openDatabase, systemClock, type Database } from '../../src/storage/index.ts';
import { createLogger } from '../../src/util/logger.ts';
import { pgliteTemplateData } from '../storage/engines.ts';

const N = 'http://eidas.europa.eu/attributes/naturalperson/';
const SUBSTANTIAL = 'http://eidas.europa.eu/LoA/substantial';
const REQUEST: ValidatedRequest = {
  peerEntityId: 'https://connector.example.eu/metadata', acsUrl: 'https://connector.example.eu/acs', requestId: '_req-1',
  binding: 'HTTP-POST', country: 'DE', issueInstant: '2026-11-26T10:00:00.000Z', spType: 'public',
  nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  loa: { comparison: 'minimum', requested: [SUBSTANTIAL], acceptable: [SUBSTANTIAL] },
  attributes: [{ name: `${N}CurrentFamilyName`, friendlyName: 'FamilyName', isRequired: true }],
};

type Answer = { kind: 'success' | 'failure'; requestId: string; reason?: string };

describe('proxy-service router (recorded SAML front and FranceConnect client)', () => {
  let db: Database;
  let flows: FlowStore;
  const answers: Answer[] = [];
  const lines: Array<Record<string, unknown>> = [];
  let finishLogin: OidcRp['finishLogin'] = async () => {
    throw new OidcRpError('OIDC_STATE', 'not set up');
  };
  let app: express.Express;

  beforeAll(async () => {
    db = await openDatabase({ dataDir: IN_MEMORY, initialData: await pgliteTemplateData() });
    await migrate(db);
    flows = new FlowStore(db);
    const idp: SamlIdp = {
      router: (onValid) => express.Router().post('/proxy-service/sso', (req, res) => void onValid(req, res, REQUEST)),
      validate: async () => REQUEST,
      sendSuccess: async (_req, res, r) => {
        answers.push({ kind: 'success', requestId: r.requestId });
        res.status(200).type('html').send('<form><input name="SAMLResponse" value="success"></form>');
      },
      sendFailure: async (_req, res, r, reason) => {
        answers.push({ kind: 'failure', requestId: r.requestId, reason });
        res.status(200).type('html').send('<form><input name="SAMLResponse" value="failure"></form>');
      },
    };
    const rp: OidcRp = {
      issuer: 'https://fc.example.fr/api/v2',
      startLogin: async () => ({
        url: new URL('https://fc.example.fr/api/v2/authorize?state=s'),
        secrets: { issuer: 'https://fc.example.fr/api/v2', state: 's', nonce: 'n', codeVerifier: 'v', acrValues: ['eidas2'], scopes: ['openid'] },
      }),
      finishLogin: (callback, secrets) => finishLogin(callback, secrets),
      publicJwks: async () => ({ keys: [] }),
      registration: async () => {
        throw new Error('not used');
      },
    };
    const logger = createLogger({
      level: 'info',
      destination: new Writable({
        write: (chunk: Buffer, _enc, done) => {
          for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
          done();
        },
      }),
    });
    const router = proxyServiceRouter({
      idp, rp, flows, logger, clock: systemClock, secureCookies: false,
      mapping: { platform: 'franceconnect-plus', identifierSecret: randomBytes(32).toString('base64url') },
    });
    app = createApp({ logger, readiness: async () => ({ status: 'ready', checks: {}, warnings: [] }), routers: [router] });
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  const flowCookieOf = (res: request.Response): string => {
    const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${PROXY_FLOW_COOKIE}=`));
    return set!.split(';')[0]!;
  };

  it('ATK-58, ATK-59: two callbacks of one flow failing together → exactly one signed error Response; the other gets the citizen page', async () => {
    const started = await request(app).post('/proxy-service/sso').send('SAMLRequest=x');
    expect(started.status).toBe(303);
    const cookie = flowCookieOf(started);
    // Both callbacks load the flow, then both fail at FranceConnect's step (e.g. a replayed state).
    let calls = 0;
    let release!: () => void;
    const bothInside = new Promise<void>((resolve) => (release = resolve));
    finishLogin = async () => {
      if (++calls === 2) release();
      await bothInside;
      throw new OidcRpError('OIDC_STATE', 'state already used');
    };
    const before = answers.length;
    const callback = () => request(app).get('/proxy-service/franceconnect/callback?code=c&state=s').set('Cookie', cookie);
    const replies = await Promise.all([callback(), callback()]);
    const mine = answers.slice(before);
    expect(mine).toEqual([{ kind: 'failure', requestId: REQUEST.requestId, reason: 'AUTHN_FAILED' }]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 400]);
    expect(replies.filter((r) => r.text.includes('SAMLResponse'))).toHaveLength(1);
    expect(lines.filter((l) => l.event === 'proxy.flow.refused').at(-1)).toMatchObject({ reason: 'FLOW_MISSING' });
  });

  it('ATK-58, DESIGN §6: the consent page (personal data) is no-store, without ETag, not framable by another site, and sends no Referer', async () => {
    const outcome = { attributes: [{ name: `${N}CurrentFamilyName`, friendlyName: 'FamilyName', values: ['DUBOIS'] }], loa: SUBSTANTIAL, nameId: 'FR/DE/abc', authnInstant: '2026-11-26T10:00:00.000Z' };
    const state: ProxyFlowState = { stage: 'consent', request: REQUEST, outcome, csrf: randomBytes(32).toString('base64url') };
    const flow = await flows.create(PROXY_FLOW_KIND, state, PROXY_FLOW_TTL_MS);
    const page = await request(app).get('/proxy-service/consent').set('Cookie', `${PROXY_FLOW_COOKIE}=${flow.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('DUBOIS');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['etag']).toBeUndefined();
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(page.headers['content-security-policy']).toMatch(/form-action 'self'/);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-powered-by']).toBeUndefined();
  });
});
