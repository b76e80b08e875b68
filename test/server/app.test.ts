/** The HTTP application's operations routes (DESIGN §8), in-process with supertest. */
import { Writable } from 'node:stream';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { evaluateReadiness, type ReadinessCheck } from '../../src/server/readiness.ts';
import { createLogger } from '../../src/util/logger.ts';

const lines: string[] = [];
const logger = createLogger({
  level: 'debug',
  destination: new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }),
});

const ok = (name: string): ReadinessCheck => ({ name, run: async () => ({ ok: true }) });
const failing = (name: string): ReadinessCheck => ({
  name,
  run: async () => {
    throw new Error('database unreachable at 127.0.0.1:5432 (ECONNREFUSED)');
  },
});
const hanging = (name: string): ReadinessCheck => ({ name, run: () => new Promise(() => undefined) });

function app(checks: ReadinessCheck[], warnings: string[] = [], secureTransport = false) {
  return createApp({ logger, readiness: () => evaluateReadiness(checks, warnings, 50), secureTransport });
}

describe('/healthz and /readyz', () => {
  it('/healthz answers 200 while the process lives, with security headers and no caching', async () => {
    const r = await request(app([failing('database')])).get('/healthz');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok' });
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-powered-by']).toBeUndefined();
  });

  it('/readyz answers 200 naming each check, and lists the legacy-peer warnings', async () => {
    const warning = 'legacy crypto allowed for peer https://old.example/metadata: rsa-sha256';
    const r = await request(app([ok('database'), ok('keys')], [warning])).get('/readyz');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ready', checks: { database: { ok: true }, keys: { ok: true } }, warnings: [warning] });
  });

  it('/readyz answers 503 and says which check failed or did not answer in time', async () => {
    const r = await request(app([failing('database'), hanging('keys')])).get('/readyz');
    expect(r.status).toBe(503);
    expect(r.body.status).toBe('not ready');
    expect(r.body.checks.database).toEqual({ ok: false, detail: 'database unreachable at 127.0.0.1:5432 (ECONNREFUSED)' });
    expect(r.body.checks.keys).toEqual({ ok: false, detail: 'no answer within 50 ms' });
  });

  it('sends HSTS and upgrade-insecure-requests only when the public base URL is https', async () => {
    const plain = await request(app([ok('keys')])).get('/healthz');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect(plain.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    const secure = await request(app([ok('keys')], [], true)).get('/healthz');
    expect(secure.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(secure.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });

  it('answers unknown routes with a JSON 404, and logs the path without its query string', async () => {
    const r = await request(app([ok('database')])).get('/nowhere?SAMLRequest=secret-value');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: 'not_found' });
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.path === '/nowhere');
    expect(logged).toMatchObject({ method: 'GET', status: 404, msg: 'request' });
    expect(lines.join('')).not.toContain('secret-value');
  });

  it('answers a browser with the citizen page in its language: 404 with a support code, never framed', async () => {
    const r = await request(app([ok('database')])).get('/nowhere').set('Accept', 'text/html').set('Accept-Language', 'en-GB,en;q=0.9');
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.text).toContain('<html lang="en"');
    expect(r.text).toMatch(/class="pont-support-code">[0-9A-F]{10}</);
  });

  it('answers a malformed body of a browser form with the citizen page, not JSON and no stack trace', async () => {
    const express = (await import('express')).default;
    const form = express.Router().post('/form', express.urlencoded({ extended: false, limit: '1kb' }), (_req, res) => res.end());
    const a = createApp({ logger: createLogger({ level: 'silent' }), readiness: () => evaluateReadiness([], []), routers: [form] });
    const r = await request(a).post('/form').set('Accept', 'text/html').type('form').send(`a=${'x'.repeat(4096)}`);
    expect(r.status).toBe(413);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.text).not.toMatch(/\n\s+at /);
  });
});
