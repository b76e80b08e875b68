/** The auto-post page (R-RSP-17 HTTP-POST only; ATK-49 RelayState escaped, CSP on the auto-POST page). */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { autoPostCsp, PageInputError, renderAutoPost } from '../../src/web/index.ts';
import { HOSTILE } from './support/samples.ts';
import { pageApp } from './support/page-app.ts';

const ACS = 'https://connector.example.de/EidasNode/ColleagueResponse';

describe('renderAutoPost', () => {
  it('ATK-49: SAMLResponse and a RelayState of "><script> go as escaped hidden inputs, in order', () => {
    const page = renderAutoPost({ lang: 'fr', action: ACS, fields: { SAMLResponse: 'PHNhbWw+', RelayState: `"><script>alert(1)</script>` } });
    expect(page).toContain(
      `<form id="pont-autopost" method="post" action="${ACS}">\n` +
        '<input type="hidden" name="SAMLResponse" value="PHNhbWw+">\n' +
        '<input type="hidden" name="RelayState" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">\n',
    );
    expect(page).not.toContain('<script>alert');
  });

  it('one script, from our origin, no inline code; a visible submit button for browsers without JavaScript', () => {
    for (const lang of ['fr', 'en'] as const) {
      const page = renderAutoPost({ lang, action: ACS, fields: { SAMLResponse: 'x' } });
      const scripts = page.match(/<script[^>]*>[\s\S]*?<\/script>/g);
      expect(scripts).toEqual(['<script src="/assets/pont/autopost.js"></script>']);
      expect(page).toContain(`<button class="fr-btn" type="submit">${lang === 'fr' ? 'Continuer' : 'Continue'}</button>`);
      expect(page).toContain(`<html lang="${lang}">`);
      expect(page).not.toContain('hreflang=');
    }
  });

  it('leaves out a field whose value is undefined (no RelayState)', () => {
    const page = renderAutoPost({ lang: 'en', action: ACS, fields: { SAMLResponse: 'x', RelayState: undefined } });
    expect(page).not.toContain('RelayState');
  });

  it('refuses a javascript: action (URL_NOT_ALLOWED) and a field name that is not a plain name (FIELD_NAME_INVALID)', () => {
    const reason = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return e instanceof PageInputError ? e.reason : 'other';
      }
      return undefined;
    };
    expect(reason(() => renderAutoPost({ lang: 'fr', action: 'javascript:alert(1)', fields: {} }))).toBe('URL_NOT_ALLOWED');
    expect(reason(() => renderAutoPost({ lang: 'fr', action: ACS, fields: { '"><x': 'v' } }))).toBe('FIELD_NAME_INVALID');
    expect(reason(() => autoPostCsp('data:text/html,x'))).toBe('URL_NOT_ALLOWED');
  });
});

describe('sendAutoPost', () => {
  it('ATK-49: its own CSP lets the form go only to the action origin and the script only from ours; no-store', async () => {
    const r = await request(pageApp()).get('/web-test/auto-post');
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toMatch(/form-action http:\/\/127\.0\.0\.1:\d+(;|$)/);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.text).toContain(`name="RelayState" value="&lt;script&gt;alert(1)&lt;/script&gt;"`);
    expect(r.text).not.toContain(HOSTILE.script);
  });

  it('a relative action keeps form-action on our own origin', () => {
    expect(autoPostCsp('/connector/acs')).toContain("form-action 'self'");
    expect(autoPostCsp(ACS)).toContain('form-action https://connector.example.de;');
  });
});
