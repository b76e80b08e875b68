/** HTML escaping and the page language (French or English from Accept-Language, French by default). */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or attribute-value context (double-quoted attributes). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export type Lang = 'fr' | 'en';

/** The preferred of fr / en in an Accept-Language header (RFC 9110 §12.5.4 q-values). */
export function pageLanguage(acceptLanguage: string | undefined): Lang {
  if (typeof acceptLanguage !== 'string') return 'fr';
  let best: { lang: Lang; q: number } | undefined;
  for (const part of acceptLanguage.slice(0, 500).split(',')) {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const primary = tag?.split('-')[0];
    if (primary !== 'fr' && primary !== 'en') continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { lang: primary, q };
  }
  return best?.lang ?? 'fr';
}
