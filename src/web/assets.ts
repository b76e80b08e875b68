/**
 * Static assets of the pages, from our own origin (no CDN; DESIGN §6):
 *  - the DSFR under /assets/dsfr/<version>/ from node_modules/@gouvfr/dsfr/dist: the stylesheet
 *    and the fonts, icons and favicons it uses, nothing else (no maps, no DSFR script). The
 *    version in the path lets the files be cached for a year as immutable;
 *  - ours under /assets/pont/: a small stylesheet and the auto-post script, cached one hour.
 * The pages load no inline script or style, so helmet's default CSP holds.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';

const require = createRequire(import.meta.url);
const DSFR_PACKAGE_JSON = require.resolve('@gouvfr/dsfr/package.json');

export const DSFR_VERSION: string = (JSON.parse(readFileSync(DSFR_PACKAGE_JSON, 'utf8')) as { version: string }).version;
const DSFR_DIST = join(dirname(DSFR_PACKAGE_JSON), 'dist');

export const DSFR_ASSETS_PATH = `/assets/dsfr/${DSFR_VERSION}`;
export const PONT_ASSETS_PATH = '/assets/pont';

export const ASSET_URLS = {
  dsfrCss: `${DSFR_ASSETS_PATH}/dsfr.min.css`,
  faviconSvg: `${DSFR_ASSETS_PATH}/favicon/favicon.svg`,
  faviconIco: `${DSFR_ASSETS_PATH}/favicon/favicon.ico`,
  appleTouchIcon: `${DSFR_ASSETS_PATH}/favicon/apple-touch-icon.png`,
  pontCss: `${PONT_ASSETS_PATH}/pont.css`,
  autoPostScript: `${PONT_ASSETS_PATH}/autopost.js`,
} as const;

/** The DSFR files a page can ask for: the stylesheet and what it references. */
const DSFR_ALLOWED = new RegExp(
  '^/(?:dsfr\\.min\\.css' +
    '|fonts/[A-Za-z0-9_-]+\\.woff2?' +
    '|icons/[a-z0-9-]+/[a-z0-9-]+\\.svg' +
    '|favicon/(?:favicon\\.svg|favicon\\.ico|apple-touch-icon\\.png))$',
);

export const AUTO_POST_FORM_ID = 'pont-autopost';

/** Submits the auto-post form once the page is parsed; the page also has a visible button. */
export const AUTO_POST_SCRIPT = `"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("${AUTO_POST_FORM_ID}");
  if (form) form.submit();
});
`;

const PONT_CSS = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'static', 'pont.css'), 'utf8');
const PONT_CACHE = 'public, max-age=3600';

export function assetsRouter(): Router {
  const router = express.Router();
  router.use(DSFR_ASSETS_PATH, (req, _res, next) => (DSFR_ALLOWED.test(req.path) ? next() : next('router')));
  router.use(
    DSFR_ASSETS_PATH,
    express.static(DSFR_DIST, {
      immutable: true,
      maxAge: '365d',
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      fallthrough: true,
    }),
  );
  router.get(ASSET_URLS.pontCss, (_req, res) => {
    res.set('Cache-Control', PONT_CACHE).type('text/css').send(PONT_CSS);
  });
  router.get(ASSET_URLS.autoPostScript, (_req, res) => {
    res.set('Cache-Control', PONT_CACHE).type('application/javascript').send(AUTO_POST_SCRIPT);
  });
  return router;
}
