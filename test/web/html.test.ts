/** The escaping tag every page is built with (ATK-49: nothing reflected into a page is markup). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertPageUrl, escapeHtml, html, PageInputError, raw } from '../../src/web/index.ts';

const unescape = (s: string): string =>
  s.replace(/&(lt|gt|quot|#39|#96|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", '#96': '`', amp: '&' })[e]!);

describe('html tagged template', () => {
  it('escapes every interpolated string: a <script> value stays text', () => {
    const out = html`<p title="${'"><script>x</script>'}">${'<script>alert(1)</script>'}</p>`.html;
    expect(out).toBe('<p title="&quot;&gt;&lt;script&gt;x&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it("escapes & < > \" ' and the backtick, and leaves every other character (non-Latin scripts) as is", () => {
    expect(escapeHtml(`&<>"'\``)).toBe('&amp;&lt;&gt;&quot;&#39;&#96;');
    const scripts = 'Παπαδοπούλου Иванова محمد דוד 山田 𝔘😀 Zoe\u0308';
    expect(html`${scripts}`.html).toBe(scripts);
  });

  it('any string round-trips: escaped, it has no markup character, and unescaped it is the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const out = html`${s}`.html;
        expect(out).not.toMatch(/[<>"'`]/);
        expect(unescape(out)).toBe(s);
      }),
    );
  });

  it('inserts raw() and nested html`` fragments unchanged, lists joined, and nothing for null/undefined/false', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`${raw('<br>')}${inner}${[html`<li>${'a&b'}</li>`, 'c<d']}${null}${undefined}${false}${7}`.html).toBe(
      '<br><b>&lt;i&gt;</b><li>a&amp;b</li>c&lt;d7',
    );
  });

  it('refuses a value it cannot render safely (an object that is not SafeHtml) with VALUE_NOT_RENDERABLE', () => {
    const fake = { html: '<script>', toString: () => '<script>' } as unknown as string;
    expect(() => html`${fake}`).toThrow(PageInputError);
    try {
      html`${fake}`;
    } catch (e) {
      expect((e as PageInputError).reason).toBe('VALUE_NOT_RENDERABLE');
    }
    expect(() => html`${true as unknown as string}`).toThrow(PageInputError);
  });
});

describe('assertPageUrl (form actions and links)', () => {
  it.each(['/proxy-service/consent', '?lang=en', 'https://connector.example.de/acs', 'http://localhost:8080/acs'])('accepts %s', (u) => {
    expect(assertPageUrl(u, 'test')).toBe(u);
  });

  it.each(['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>', '//evil.example/acs', '/\\evil.example', 'vbscript:x', 'not a url'])(
    'ATK-49: refuses %s with URL_NOT_ALLOWED',
    (u) => {
      try {
        assertPageUrl(u, 'test');
        expect.unreachable('accepted');
      } catch (e) {
        expect(e).toBeInstanceOf(PageInputError);
        expect((e as PageInputError).reason).toBe('URL_NOT_ALLOWED');
      }
    },
  );
});
