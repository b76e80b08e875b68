/** A mock EU country mounted in a bare express app, talking to the fake node of fake-node.ts. */
import express from 'express';
import request from 'supertest';
import { createMockEuCountry, type MockEuCountry, type MockEuCountryOptions } from '../../../src/mock/eu-country/index.ts';
import { parseXml } from '../../../src/saml/parser.ts';
import { NODE_KEYS, proxyServiceMetadata } from './fake-node.ts';

export const BASE = 'http://localhost:8080';
export const NODE_METADATA_URL = `${BASE}/proxy-service/metadata`;
export const NODE_SSO_URL = `${BASE}/proxy-service/sso`;
/** Pinned clock of every mock test. */
export const NOW = new Date('2026-01-15T10:00:00.000Z');

export interface Harness {
  mock: MockEuCountry;
  app: express.Express;
  /** Replaces what the fake node serves as its metadata. */
  setNodeMetadata(xml: string): void;
  fetches: () => number;
}

export async function harness(overrides: Partial<MockEuCountryOptions> = {}): Promise<Harness> {
  let nodeMetadata = await proxyServiceMetadata({ entityId: NODE_METADATA_URL, ssoUrl: NODE_SSO_URL, validUntil: new Date(NOW.getTime() + 86_400_000) });
  let fetches = 0;
  const mock = await createMockEuCountry({
    baseUrl: BASE,
    nodeMetadataUrl: NODE_METADATA_URL,
    trustAnchor: NODE_KEYS.metadata.cert,
    clock: () => NOW,
    fetchText: async () => {
      fetches++;
      return nodeMetadata;
    },
    ...overrides,
  });
  const app = express();
  app.use(mock.router);
  return { mock, app, setNodeMetadata: (xml) => (nodeMetadata = xml), fetches: () => fetches };
}

/** The hidden fields of the auto-posting form (HTML-unescaped). */
export function formFields(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form id="saml-autopost" method="post" action="([^"]*)"/.exec(html)?.[1];
  if (!action) throw new Error('no auto-post form');
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields[m[1]!] = unescape(m[2]!);
  return { action: unescape(action), fields };
}

function unescape(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Starts a login by HTTP-POST and returns the AuthnRequest the browser would carry. */
export async function startPostLogin(h: Harness, loa = 'http://eidas.europa.eu/LoA/substantial') {
  const res = await request(h.app).post('/demo/eu/login').type('form').send({ country: 'FR', loa, binding: 'post' });
  if (res.status !== 200) throw new Error(`login answered ${res.status}`);
  const { action, fields } = formFields(res.text);
  const xml = Buffer.from(fields.SAMLRequest!, 'base64').toString('utf8');
  const requestId = parseXml(xml).documentElement.getAttribute('ID')!;
  return { action, relayState: fields.RelayState!, xml, requestId };
}

export function postToAcs(h: Harness, samlResponseXml: string, relayState: string) {
  return request(h.app)
    .post('/mock/eu/connector/acs')
    .type('form')
    .send({ SAMLResponse: Buffer.from(samlResponseXml, 'utf8').toString('base64'), RelayState: relayState });
}
