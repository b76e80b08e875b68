/**
 * The SSO endpoint mounted as the node mounts it (helmet's defaults first, the assets of the
 * src/web pages), the log lines it writes (reason codes are asserted from
 * `eidas.request.rejected`), and a reader for the auto-post page a browser would submit.
 */
import express, { type Express } from 'express';
import helmet from 'helmet';
import { createLogger } from '../../../../src/util/logger.ts';
import { createSamlIdp, type OnValidRequest, type SamlIdp, type ValidatedRequest } from '../../../../src/front/saml-idp/index.ts';
import { verifyXml } from '../../../../src/saml/index.ts';
import { assetsRouter } from '../../../../src/web/index.ts';
import { KEYS, NS, kid, kids, type World } from './world.ts';

export interface TestApp {
  app: Express;
  idp: SamlIdp;
  /** Parsed JSON log lines. */
  lines: Array<Record<string, unknown>>;
  /** Requests handed to the flow. */
  handed: ValidatedRequest[];
  rejections(): string[];
}

export function testApp(w: World, onValidRequest?: OnValidRequest, extra?: (app: Express, idp: SamlIdp, handed: ValidatedRequest[]) => void): TestApp {
  const lines: Array<Record<string, unknown>> = [];
  w.deps.logger = createLogger({ level: 'info', destination: { write: (s: string) => void lines.push(JSON.parse(s)) } });
  const handed: ValidatedRequest[] = [];
  const idp = createSamlIdp(w.settings, w.deps);
  const app = express();
  app.use(helmet());
  app.use(assetsRouter());
  app.use(
    idp.router(
      onValidRequest ??
        ((_req, res, validated) => {
          handed.push(validated);
          res.status(200).type('text').send('on to FranceConnect');
        }),
    ),
  );
  extra?.(app, idp, handed);
  return {
    app,
    idp,
    lines,
    handed,
    rejections: () => lines.filter((l) => l.event === 'eidas.request.rejected').map((l) => String(l.reason)),
  };
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#96;': '`' };
const unescape = (v: string) => v.replace(/&(amp|lt|gt|quot|#39|#96);/g, (m) => ENTITIES[m]!);

export interface AutoPostForm {
  action: string;
  samlResponse: string;
  relayState: string | undefined;
}

/** The form of an auto-post page, as a browser would submit it. */
export function readAutoPost(html: string): AutoPostForm {
  const action = /<form id="pont-autopost" method="post" action="([^"]*)">/.exec(html)?.[1];
  const response = /<input type="hidden" name="SAMLResponse" value="([^"]*)">/.exec(html)?.[1];
  const relay = /<input type="hidden" name="RelayState" value="([^"]*)">/.exec(html)?.[1];
  if (action === undefined || response === undefined) throw new Error('test: not an auto-post page');
  return {
    action: unescape(action),
    samlResponse: Buffer.from(unescape(response), 'base64').toString('utf8'),
    relayState: relay === undefined ? undefined : unescape(relay),
  };
}

/** Our signed error Response from the page: its status codes and InResponseTo, signature checked. */
export async function readErrorResponse(html: string): Promise<{ codes: string[]; inResponseTo: string | null; message: string | null; form: AutoPostForm }> {
  const form = readAutoPost(html);
  const response = (await verifyXml(form.samlResponse, { trusted: [KEYS.ours.certificate] })).element;
  const status = kid(response, NS.samlp, 'Status');
  const top = kid(status, NS.samlp, 'StatusCode');
  const codes = [top, ...kids(top, NS.samlp, 'StatusCode')].map((c) => c.getAttribute('Value') ?? '');
  const message = kids(status, NS.samlp, 'StatusMessage')[0]?.textContent ?? null;
  if (kids(response, NS.saml, 'EncryptedAssertion').length + kids(response, NS.saml, 'Assertion').length > 0) {
    throw new Error('test: an error Response carries an assertion');
  }
  return { codes, inResponseTo: response.getAttribute('InResponseTo'), message, form };
}
