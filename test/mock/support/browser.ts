/**
 * A minimal scripted browser for flow tests over real HTTP: follows redirects by hand
 * (`redirect: 'manual'`), keeps cookies per path like a browser would for one host, and stops
 * when the next hop leaves for a URL the test wants to handle itself (the RP's redirect_uri).
 */
export interface Hop {
  url: string;
  status: number;
}

interface StoredCookie {
  value: string;
  path: string;
}

export class TestBrowser {
  private readonly jar = new Map<string, StoredCookie>();
  readonly hops: Hop[] = [];

  private cookieHeader(url: URL): string | undefined {
    const pairs = [...this.jar.entries()]
      .filter(([, c]) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/')
      .map(([name, c]) => `${name}=${c.value}`);
    return pairs.length > 0 ? pairs.join('; ') : undefined;
  }

  private store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attrs.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) || '/';
      const expired = attrs.some((a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && new Date(a.slice(8)).getTime() < Date.now()));
      if (expired || value === '') this.jar.delete(name);
      else this.jar.set(name, { value, path });
    }
  }

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const target = new URL(url);
    const headers: Record<string, string> = {};
    const cookie = this.cookieHeader(target);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(target, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.store(res);
    this.hops.push({ url: target.href, status: res.status });
    return res;
  }

  /**
   * Follows redirects from `res` until a Location starts with `stopAt` (returned, not fetched)
   * or a non-redirect answer arrives (returned as the Response).
   */
  async follow(res: Response, stopAt: string, maxHops = 10): Promise<{ stoppedAt?: URL; last: Response }> {
    let current = res;
    for (let i = 0; i < maxHops; i++) {
      const location = current.headers.get('location');
      if (current.status < 300 || current.status >= 400 || !location) return { last: current };
      const next = new URL(location, this.hops[this.hops.length - 1]?.url);
      if (next.href.startsWith(stopAt)) return { stoppedAt: next, last: current };
      await current.arrayBuffer();
      current = await this.request(next.href);
    }
    throw new Error('too many redirects');
  }

  /** GET `url` and follow redirects (see follow). */
  async navigate(url: string, stopAt: string): Promise<{ stoppedAt?: URL; last: Response }> {
    return this.follow(await this.request(url), stopAt);
  }
}
