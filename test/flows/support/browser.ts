/**
 * A scripted browser for the flow tests over real HTTP: a cookie jar with paths (one site),
 * redirects followed by hand, and the forms of a page read back (hidden fields, action). An
 * optional `route` sends some requests to another address than the URL says, as a load
 * balancer would (the two-instance test): cookies and URLs stay those of the public origin.
 */
export interface Form {
  action: string;
  method: string;
  fields: Record<string, string>;
}

interface Cookie {
  value: string;
  path: string;
  attributes: string[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#96': '`', apos: "'" };

export function decodeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#96|apos);/g, (_, e: string) => ENTITIES[e]!);
}

function attribute(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decodeHtml(m[1]!) : undefined;
}

/** Every <form> of the page, with its hidden inputs and the submit buttons' name=value. */
export function formsOf(html: string, base: string): Form[] {
  const forms: Form[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const fields: Record<string, string> = {};
    for (const input of m[2]!.matchAll(/<input\b[^>]*>/g)) {
      const name = attribute(input[0], 'name');
      const type = attribute(input[0], 'type');
      if (name !== undefined && (type === 'hidden' || (type === 'radio' && /\schecked/.test(input[0])))) fields[name] = attribute(input[0], 'value') ?? '';
    }
    forms.push({ action: new URL(attribute(m[1]!, 'action') ?? '', base).href, method: (attribute(m[1]!, 'method') ?? 'get').toUpperCase(), fields });
  }
  return forms;
}

export class FlowBrowser {
  readonly jar = new Map<string, Cookie>();
  /** Every request made: URL (public) and status. */
  readonly hops: { url: string; status: number }[] = [];

  constructor(
    private readonly route: (url: URL) => URL = (u) => u,
    /** Accept-Language sent with every request; undefined sends none (the server's default language). */
    private readonly acceptLanguage: string | undefined = 'en',
  ) {}

  private cookieHeader(url: URL): string | undefined {
    const pairs = [...this.jar.entries()]
      .filter(([, c]) => c.path === '/' || url.pathname === c.path || url.pathname.startsWith(`${c.path.replace(/\/$/, '')}/`))
      .map(([name, c]) => `${name}=${c.value}`);
    return pairs.length > 0 ? pairs.join('; ') : undefined;
  }

  /** The Set-Cookie lines of the last answer that set this cookie (attributes as sent). */
  cookie(name: string): Cookie | undefined {
    return this.jar.get(name);
  }

  drop(name: string): void {
    this.jar.delete(name);
  }

  private store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) || '/';
      const expired = attributes.some((a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && new Date(a.slice(8)).getTime() < Date.now()));
      if (expired || value === '') this.jar.delete(name);
      else this.jar.set(name, { value, path, attributes });
    }
  }

  async request(url: string, init: { form?: Record<string, string>; method?: string } = {}): Promise<Response> {
    const target = new URL(url);
    const headers: Record<string, string> = this.acceptLanguage ? { 'accept-language': this.acceptLanguage } : {};
    const cookie = this.cookieHeader(target);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(this.route(target), { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.store(res);
    this.hops.push({ url: target.href, status: res.status });
    return res;
  }

  /** Follows redirects until an answer that is not one; `stopAt` returns the Location instead of fetching it. */
  async follow(res: Response, options: { stopAt?: (url: URL) => boolean; maxHops?: number } = {}): Promise<{ res: Response; stoppedAt?: URL }> {
    let current = res;
    for (let i = 0; i < (options.maxHops ?? 12); i++) {
      const location = current.headers.get('location');
      if (current.status < 300 || current.status >= 400 || !location) return { res: current };
      const next = new URL(location, this.hops.at(-1)!.url);
      await current.arrayBuffer();
      if (options.stopAt?.(next)) return { res: current, stoppedAt: next };
      current = await this.request(next.href);
    }
    throw new Error('too many redirects');
  }

  /** Submits a form of a page (its hidden fields plus `extra`). */
  async submit(form: Form, extra: Record<string, string> = {}): Promise<Response> {
    const fields = { ...form.fields, ...extra };
    if (form.method === 'GET') {
      const url = new URL(form.action);
      for (const [k, v] of Object.entries(fields)) url.searchParams.set(k, v);
      return this.request(url.href);
    }
    return this.request(form.action, { form: fields });
  }
}
