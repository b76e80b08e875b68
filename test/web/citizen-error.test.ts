/** citizenError (DESIGN §1 step 7, §6; attacks.md PS-400): status, no-store, support code, nothing personal logged. */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { pageApp } from './support/page-app.ts';

describe('citizenError', () => {
  it('renders the page with the status, Cache-Control: no-store, HTML, and the support code it logs', async () => {
    const lines: string[] = [];
    const r = await request(pageApp(lines)).get('/web-test/error/session-expired').set('Accept-Language', 'en');
    expect(r.status).toBe(400);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.text).toContain('<html lang="en">');
    expect(r.text).toContain('Your session has expired');
    const code = /<span class="pont-support-code">([0-9A-F]{10})<\/span>/.exec(r.text)?.[1];
    expect(code).toBeDefined();
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'web.citizen_error');
    expect(logged).toHaveLength(1);
    const { level, time, service, msg, ...fields } = logged[0]!;
    expect({ level, service, msg, time: typeof time }).toEqual({ level: 'warn', service: 'pont', msg: 'citizen error page', time: 'string' });
    expect(fields).toEqual({ event: 'web.citizen_error', kind: 'session-expired', status: 400, supportCode: code });
  });

  it('each page gets a new support code', async () => {
    const app = pageApp();
    const codes = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const r = await request(app).get('/web-test/error/internal');
      codes.add(/<span class="pont-support-code">([^<]+)</.exec(r.text)![1]!);
    }
    expect(codes.size).toBe(5);
  });

  it('language from the switch cookie, then the browser; French by default', async () => {
    const app = pageApp();
    expect((await request(app).get('/web-test/error/not-found')).text).toContain('<html lang="fr">');
    expect((await request(app).get('/web-test/error/not-found').set('Cookie', 'pont_lang=en')).text).toContain('Page not found');
  });

  it('after a POST the page has no language switch (a GET could not show it again)', async () => {
    const r = await request(pageApp()).post('/web-test/error').set('Accept-Language', 'en');
    expect(r.status).toBe(500);
    expect(r.text).toContain('A technical error occurred');
    expect(r.text).not.toContain('hreflang=');
    const get = await request(pageApp()).get('/web-test/error/internal');
    expect(get.text).toContain('hreflang="en"');
  });

  it('keeps the helmet headers of the app (CSP, frame protection)', async () => {
    const r = await request(pageApp()).get('/web-test/error/login-failed');
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['x-frame-options']).toBe('DENY');
  });
});
