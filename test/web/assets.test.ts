/** Static assets (DESIGN §6: the DSFR served locally, no CDN), behind the real app frame and its helmet CSP. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ASSET_URLS, DSFR_ASSETS_PATH, DSFR_VERSION } from '../../src/web/index.ts';
import { pageApp } from './support/page-app.ts';

const app = pageApp();
const IMMUTABLE = 'public, max-age=31536000, immutable';
const dsfrDist = join(dirname(createRequire(import.meta.url).resolve('@gouvfr/dsfr/package.json')), 'dist');

describe('/assets/dsfr: the DSFR from node_modules', () => {
  it('serves the stylesheet as text/css, cached a year as immutable under a versioned path', async () => {
    expect(ASSET_URLS.dsfrCss).toBe(`/assets/dsfr/${DSFR_VERSION}/dsfr.min.css`);
    const r = await request(app).get(ASSET_URLS.dsfrCss);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(r.headers['cache-control']).toBe(IMMUTABLE);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.text).toContain(`DSFR v${DSFR_VERSION}`);
  });

  it('serves every font and icon the stylesheet references, with its type and the same cache headers', async () => {
    const css = readFileSync(join(dsfrDist, 'dsfr.min.css'), 'utf8');
    const refs = [...new Set([...css.matchAll(/url\(["']?(?!data:)([^)"'?#]+)/g)].map((m) => m[1]!))];
    expect(refs.length).toBeGreaterThan(20);
    const types = new Set<string>();
    for (const ref of refs) {
      const r = await request(app).get(`${DSFR_ASSETS_PATH}/${ref}`);
      expect(r.status, ref).toBe(200);
      expect(r.headers['cache-control'], ref).toBe(IMMUTABLE);
      types.add(String(r.headers['content-type']));
    }
    expect([...types].sort()).toEqual(expect.arrayContaining(['font/woff2', 'image/svg+xml']));
  });

  it('serves the favicons the pages link', async () => {
    for (const url of [ASSET_URLS.faviconSvg, ASSET_URLS.faviconIco, ASSET_URLS.appleTouchIcon]) {
      expect((await request(app).get(url)).status, url).toBe(200);
    }
  });

  it.each([
    '/dsfr.min.css.map',
    '/dsfr.module.min.js',
    '/dsfr.css',
    '/README.md',
    '/../package.json',
    '/%2e%2e/package.json',
    '/fonts/../../package.json',
    '/icons/',
    '/',
  ])('answers 404 for %s (only the stylesheet and what it uses)', async (path) => {
    const r = await request(app).get(DSFR_ASSETS_PATH + path);
    expect(r.status).toBe(404);
    expect(r.headers['cache-control'] ?? '').not.toContain('immutable');
  });

  it('answers 404 under another version of the DSFR', async () => {
    expect((await request(app).get('/assets/dsfr/0.0.1/dsfr.min.css')).status).toBe(404);
  });
});

describe('/assets/pont: our own stylesheet and auto-post script', () => {
  it('pont.css as text/css, autopost.js as JavaScript, cached one hour (their path has no version)', async () => {
    const css = await request(app).get(ASSET_URLS.pontCss);
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe('public, max-age=3600');
    const js = await request(app).get('/assets/pont/autopost.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=3600');
    expect(js.text).toContain('form.submit()');
  });
});
