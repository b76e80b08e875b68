/**
 * Binding decoding (R-MSG-28, R-MSG-29, ATK-49..52): HTTP-POST, HTTP-Redirect with the query
 * signature over the raw bytes as received, and the EU reference node's GET form carrying an
 * enveloped signature (plain base64 or deflated). Each refusal asserts its reason code.
 */
import { createSign } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { SIG } from '../../../src/saml/namespaces.ts';
import { createSamlIdp, decodeGet, decodePost } from '../../../src/front/saml-idp/index.ts';
import { outcomeOf, validateGet, validatePost } from './support/outcome.ts';
import {
  DE,
  G_REQ,
  KEYS,
  YY,
  edited,
  euGetQuery,
  fixture,
  form,
  kid,
  NS,
  postBody,
  redirectQuery,
  signedRequest,
  world,
  type World,
} from './support/world.ts';

let w: World;
beforeEach(() => {
  w = world();
});

const unsignedDe = () => fixture(G_REQ);
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

describe('HTTP-POST binding (R-MSG-28)', () => {
  it('R-MSG-28: SAMLRequest wrapped at 76 columns (MIME base64) is decoded', async () => {
    const wrapped = b64(await signedRequest()).replace(/(.{76})/g, '$1\r\n');
    const validated = await createSamlIdp(w.settings, w.deps).validate(decodePost(form([['SAMLRequest', wrapped]]), ''));
    expect(validated.binding).toBe('HTTP-POST');
  });

  it.each([
    ['a space inside the base64', (s: string) => `${s.slice(0, 10)} ${s.slice(10)}`],
    ['a base64url character', (s: string) => `-${s.slice(1)}`],
    ['a length that is no multiple of 4', (s: string) => `${s}A`],
    ['garbage', () => '!!!!'],
  ])('ATK-51: SAMLRequest with %s is PS-400 BINDING (strict base64)', async (_t, mangle) => {
    const body = form([['SAMLRequest', mangle(b64(await signedRequest()))]]);
    expect(await outcomeOf(async () => decodePost(body, ''))).toMatchObject({ reason: 'BINDING', kind: 'PS-400' });
  });

  it('ATK-51: a decoded message over 131072 bytes is PS-400 SIZE (413), before parsing', async () => {
    const big = (await signedRequest()).replace('</saml2p:AuthnRequest>', `<!--${'x'.repeat(131_072)}--></saml2p:AuthnRequest>`);
    expect(await outcomeOf(async () => decodePost(postBody(big), ''))).toMatchObject({ reason: 'SIZE', kind: 'PS-400' });
  });

  it('R-RSP-17 / ATK-50g: a SAMLResponse posted to the SSO endpoint is PS-400 BINDING', async () => {
    const body = form([['SAMLResponse', b64(await signedRequest())]]);
    expect(await outcomeOf(async () => decodePost(body, ''))).toMatchObject({ reason: 'BINDING' });
  });

  it('R-MSG-28: a POST without SAMLRequest is PS-400 BINDING', async () => {
    expect(await outcomeOf(async () => decodePost(form([['RelayState', 'x']]), ''))).toMatchObject({ reason: 'BINDING' });
  });

  it('ATK-52: SigAlg in a POST body is PS-400 PARAM (no detached signature in this binding)', async () => {
    const body = `${postBody(await signedRequest())}&${form([['SigAlg', SIG.ECDSA_SHA256]])}`;
    expect(await outcomeOf(async () => decodePost(body, ''))).toMatchObject({ reason: 'PARAM' });
  });

  it('ATK-52: the message both in the URL and in the body is PS-400 PARAM', async () => {
    const body = postBody(await signedRequest());
    expect(await outcomeOf(async () => decodePost(body, body))).toMatchObject({ reason: 'PARAM' });
  });

  it.each([
    ['SAMLRequest twice', (body: string) => `${body}&${body}`],
    ['SAMLRequest[]=', (body: string) => body.replace('SAMLRequest=', 'SAMLRequest%5B%5D=')],
    ['RelayState[a]=', (body: string) => `${body}&RelayState%5Ba%5D=x`],
    ['RelayState twice', (body: string) => `${body}&RelayState=a&RelayState=b`],
    ['a flood of parameters', (body: string) => `${body}${'&p=1'.repeat(40)}`],
    ['broken percent-encoding', (body: string) => `${body}&RelayState=%E0%A4%A`],
  ])('ATK-52: %s is PS-400 PARAM', async (_t, pollute) => {
    const body = pollute(postBody(await signedRequest()));
    expect(await outcomeOf(async () => decodePost(body, ''))).toMatchObject({ reason: 'PARAM', kind: 'PS-400' });
  });
});

describe('HTTP-Redirect binding with the query signature (R-MSG-28, ATK-50)', () => {
  it('R-MSG-28: a deflated request with SigAlg/Signature over the raw query is accepted, RelayState kept', async () => {
    const validated = await validateGet(w, redirectQuery(unsignedDe(), { relayState: 'state/42+é' }));
    expect(validated).toMatchObject({ binding: 'HTTP-Redirect', peerEntityId: DE, relayState: 'state/42+é' });
  });

  it('SAML Bindings §3.4.4.1: the signature is checked over the bytes as received (lower-case percent escapes)', async () => {
    const lowerHex = (v: string) => encodeURIComponent(v).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    expect((await validateGet(w, redirectQuery(unsignedDe(), { encode: lowerHex }))).binding).toBe('HTTP-Redirect');
  });

  it('ATK-50b: bytes changed after signing (re-encoded escapes) no longer verify: PS-400 REDIRECT_SIG', async () => {
    const query = redirectQuery(unsignedDe()).replace(/^SAMLRequest=([^&]*)/, (_m, v: string) => `SAMLRequest=${v.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())}`);
    expect(await outcomeOf(() => validateGet(w, query))).toMatchObject({ reason: 'REDIRECT_SIG', kind: 'PS-400' });
  });

  it('ATK-49 / ATK-50: a RelayState changed after signing is PS-400 REDIRECT_SIG', async () => {
    const query = redirectQuery(unsignedDe(), { relayState: 'a' }).replace('RelayState=a', 'RelayState=b');
    expect(await outcomeOf(() => validateGet(w, query))).toMatchObject({ reason: 'REDIRECT_SIG' });
  });

  it('R-CRY-03: an RSA-PSS query signature from an RSA connector is accepted', async () => {
    w.deps.peers.keys.set(DE, [KEYS.connectorYy.certificate.publicKey]);
    const query = redirectQuery(unsignedDe(), { key: KEYS.connectorYy, sigAlg: SIG.RSA_PSS_SHA256 });
    expect((await validateGet(w, query)).binding).toBe('HTTP-Redirect');
  });

  it('ATK-50: an ECDSA query signature in DER form (Java senders) is accepted', async () => {
    const base = redirectQuery(unsignedDe()).replace(/&Signature=.*$/, '');
    const der = createSign('sha256').update(base).sign({ key: KEYS.connectorDe.privateKey, dsaEncoding: 'der' });
    expect((await validateGet(w, `${base}&Signature=${encodeURIComponent(der.toString('base64'))}`)).binding).toBe('HTTP-Redirect');
  });

  it.each([
    ['SigAlg without Signature', (q: string) => q.replace(/&Signature=.*$/, '')],
    ['Signature without SigAlg', (q: string) => q.replace(/&SigAlg=[^&]*/, '')],
    ['a Signature that is not base64', (q: string) => q.replace(/&Signature=.*$/, '&Signature=***')],
  ])('ATK-50a: %s is PS-400 REDIRECT_SIG', async (_t, edit) => {
    expect(await outcomeOf(() => validateGet(w, edit(redirectQuery(unsignedDe()))))).toMatchObject({ reason: 'REDIRECT_SIG', kind: 'PS-400' });
  });

  it('ATK-50d / R-CRY-02: SigAlg rsa-sha1 with a valid SHA-1 signature is PS-400 REDIRECT_SIG', async () => {
    w.deps.peers.keys.set(DE, [KEYS.connectorYy.certificate.publicKey]);
    const query = redirectQuery(unsignedDe(), { key: KEYS.connectorYy, sigAlg: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1' });
    expect(await outcomeOf(() => validateGet(w, query))).toMatchObject({ reason: 'REDIRECT_SIG' });
  });

  it('ATK-50 / ATK-19: SigAlg given as a short name (ecdsa-sha256) instead of its URI is PS-400 REDIRECT_SIG', async () => {
    const query = redirectQuery(unsignedDe(), { sigAlg: 'ecdsa-sha256' });
    expect(await outcomeOf(() => validateGet(w, query))).toMatchObject({ reason: 'REDIRECT_SIG', kind: 'PS-400' });
  });

  it('R-CRY-03: SigAlg rsa-sha256 from a connector not named legacy is PS-400 REDIRECT_SIG', async () => {
    w.deps.peers.keys.set(DE, [KEYS.connectorYy.certificate.publicKey]);
    const query = redirectQuery(unsignedDe(), { key: KEYS.connectorYy, sigAlg: SIG.RSA_SHA256 });
    expect(await outcomeOf(() => validateGet(w, query))).toMatchObject({ reason: 'REDIRECT_SIG' });
  });

  it('R-CRY-03: SigAlg rsa-sha256 from the legacy connector is accepted', async () => {
    const yy = edited(unsignedDe(), (root) => {
      kid(root, NS.saml, 'Issuer').textContent = YY;
      const ext = kid(root, NS.samlp, 'Extensions');
      ext.removeChild(kid(ext, NS.eidas, 'SPType'));
    });
    const query = redirectQuery(yy, { key: KEYS.connectorYy, sigAlg: SIG.RSA_SHA256 });
    expect((await validateGet(w, query)).peerEntityId).toBe(YY);
  });

  it('ATK-23 / R-MSG-06: a query signed by a key of no metadata is PS-400 REDIRECT_SIG after one refresh', async () => {
    expect(await outcomeOf(() => validateGet(w, redirectQuery(unsignedDe(), { key: KEYS.evil })))).toMatchObject({ reason: 'REDIRECT_SIG' });
    expect(w.deps.peers.refreshes).toBe(1);
  });

  it('ATK-50e: a signature in the query and another enveloped in the XML is PS-400 REDIRECT_SIG', async () => {
    expect(await outcomeOf(async () => validateGet(w, redirectQuery(await signedRequest())))).toMatchObject({ reason: 'REDIRECT_SIG' });
  });

  it('ATK-50c: a parameter whose name merely contains SAMLRequest is not SAMLRequest (PS-400 BINDING)', async () => {
    const query = redirectQuery(unsignedDe()).replace(/^SAMLRequest=/, 'xSAMLRequest=');
    expect(await outcomeOf(() => validateGet(w, query))).toMatchObject({ reason: 'BINDING' });
  });

  it('ATK-52: SAMLRequest twice in the query is PS-400 PARAM', async () => {
    const query = redirectQuery(unsignedDe());
    expect(await outcomeOf(() => validateGet(w, `${query}&${query.split('&')[0]}`))).toMatchObject({ reason: 'PARAM' });
  });

  it('ATK-51: a deflate bomb (16 MiB of zeros in 16 KiB) stops at 131072 bytes: PS-400 SIZE', async () => {
    const bomb = deflateRawSync(Buffer.alloc(16 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(131_072);
    const query = form([
      ['SAMLRequest', bomb.toString('base64')],
      ['SigAlg', SIG.ECDSA_SHA256],
      ['Signature', b64('x'.repeat(64))],
    ]);
    expect(await outcomeOf(async () => decodeGet(query))).toMatchObject({ reason: 'SIZE', kind: 'PS-400' });
  });

  it('ATK-51: a SAMLRequest that is no DEFLATE stream is PS-400 BINDING', async () => {
    const query = form([['SAMLRequest', b64('not deflate at all, just text')], ['SigAlg', SIG.ECDSA_SHA256], ['Signature', b64('x')]]);
    expect(await outcomeOf(async () => decodeGet(query))).toMatchObject({ reason: 'BINDING' });
  });

  it('R-MSG-29 / ATK-49: a RelayState over 80 bytes is PS-400 RELAYSTATE, before any inflating', async () => {
    const query = redirectQuery(unsignedDe(), { relayState: 'r'.repeat(81) });
    expect(await outcomeOf(() => validateGet(w, query))).toMatchObject({ reason: 'RELAYSTATE', kind: 'PS-400' });
  });

  it('R-RSP-17 / ATK-50g: a SAMLResponse over GET is PS-400 BINDING', async () => {
    expect(await outcomeOf(async () => decodeGet(form([['SAMLResponse', b64('<x/>')]])))).toMatchObject({ reason: 'BINDING' });
  });
});

describe("the EU reference node's GET form (R-MSG-28 interop caveat)", () => {
  it('R-MSG-28: plain base64 of the signed XML, no SigAlg/Signature, is verified by its enveloped signature', async () => {
    const validated = await validateGet(w, euGetQuery(await signedRequest(), { relayState: 'eu-node-relay' }));
    expect(validated).toMatchObject({ binding: 'HTTP-GET-enveloped', peerEntityId: DE, relayState: 'eu-node-relay' });
  });

  it('R-MSG-28: the deflated variant with the enveloped signature inside is accepted too', async () => {
    expect((await validateGet(w, euGetQuery(await signedRequest(), { deflate: true }))).binding).toBe('HTTP-GET-enveloped');
  });

  it('R-MSG-06: the GET form without any signature is PS-400 SIG_MISSING', async () => {
    expect(await outcomeOf(() => validateGet(w, euGetQuery(unsignedDe())))).toMatchObject({ reason: 'SIG_MISSING', kind: 'PS-400' });
  });

  it('R-MSG-06: the GET form with an enveloped signature whose content was changed is PS-400 DIGEST_MISMATCH', async () => {
    const tampered = (await signedRequest()).replace('isRequired="false"', 'isRequired="true"');
    expect(await outcomeOf(() => validateGet(w, euGetQuery(tampered)))).toMatchObject({ reason: 'DIGEST_MISMATCH' });
  });
});

describe('the POST binding end to end', () => {
  it('R-MSG-28: the same request by POST validates as HTTP-POST', async () => {
    expect((await validatePost(w, await signedRequest())).binding).toBe('HTTP-POST');
  });
});
