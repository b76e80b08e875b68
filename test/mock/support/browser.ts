/**
 * The scripted browser of the flow tests (test/flows/support/browser.ts), with the interface the
 * mock and RP tests use: no Accept-Language (the server's default language), and redirects
 * followed until a Location starts with `stopAt` (the RP's redirect_uri, handled by the test).
 */
import { FlowBrowser } from '../../flows/support/browser.ts';

export interface Hop {
  url: string;
  status: number;
}

export class TestBrowser {
  private readonly browser = new FlowBrowser(undefined, undefined);

  get hops(): Hop[] {
    return this.browser.hops;
  }

  request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    return this.browser.request(url, init);
  }

  /**
   * Follows redirects from `res` until a Location starts with `stopAt` (returned, not fetched)
   * or a non-redirect answer arrives (returned as the Response).
   */
  async follow(res: Response, stopAt: string, maxHops = 10): Promise<{ stoppedAt?: URL; last: Response }> {
    const r = await this.browser.follow(res, { stopAt: (next) => next.href.startsWith(stopAt), maxHops });
    return r.stoppedAt ? { stoppedAt: r.stoppedAt, last: r.res } : { last: r.res };
  }

  /** GET `url` and follow redirects (see follow). */
  async navigate(url: string, stopAt: string): Promise<{ stoppedAt?: URL; last: Response }> {
    return this.follow(await this.request(url), stopAt);
  }
}
