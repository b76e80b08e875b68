/**
 * attacks.md ATK-15 (several SignedInfo, SignedInfo smuggling), ATK-16 (comments and extra nodes in
 * DigestValue / SignatureValue, "SAMLStorm") and ATK-17 (decoy Signature earlier in document order);
 * R-SEC-01. Every forgery changes the PersonIdentifier and carries the digest D' of the changed
 * content somewhere a sloppy verifier would read it, so that only the defence stops it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseXml } from '../../../../src/saml/parser.ts';
import { NS } from '../../../../src/saml/namespaces.ts';
import { verifyElement, verifyXml } from '../../../../src/saml/verify.ts';
import {
  G,
  VICTIM_IDENTIFIER,
  assertionOf,
  cdata,
  fixtureText,
  kid,
  mutate,
  outcomeOf,
  setPersonIdentifier,
  signatureOf,
  signedAssertionResponse,
  signedResponse,
  testKey,
} from '../../../helpers/saml-fixtures.ts';
import { standardDigest } from './support/forge-signature.ts';

const options = () => ({ trusted: [testKey('K_XX').certificate] });
const signed: Record<string, string> = {};
beforeAll(async () => {
  signed['core signer'] = await signedResponse('K_XX');
  signed.xmlsec1 = fixtureText(G.RESP_XMLSEC1);
  signed.assertion = await signedAssertionResponse('K_XX');
});

/** The Response with a victim PersonIdentifier; returns D', the digest of the changed Response. */
function changeContent(root: Element): string {
  setPersonIdentifier(assertionOf(root), VICTIM_IDENTIFIER);
  return standardDigest(root);
}

/** A forged SignedInfo: a copy of the genuine one with DigestValue = D'. */
function forgedSignedInfo(signature: Element, dPrime: string): Element {
  const copy = kid(signature, NS.ds, 'SignedInfo').cloneNode(true) as Element;
  kid(kid(copy, NS.ds, 'Reference'), NS.ds, 'DigestValue').textContent = dPrime;
  return copy;
}

describe.each(['core signer', 'xmlsec1'])('ATK-15/16 R-SEC-01 on a Response signed by the %s', (signer) => {
  const edit = (change: (root: Element, sig: Element, dPrime: string) => void) =>
    mutate(signed[signer]!, (d) => {
      const root = d.documentElement!;
      const dPrime = changeContent(root);
      change(root, signatureOf(root), dPrime);
    });
  const refusal = (xml: string) => outcomeOf(() => verifyXml(xml, options()));

  it('ATK-15: two SignedInfo children (forged one first, or second) → SIG_STRUCTURE', async () => {
    for (const first of [true, false]) {
      const xml = edit((_, sig, dPrime) => {
        const genuine = kid(sig, NS.ds, 'SignedInfo');
        sig.insertBefore(forgedSignedInfo(sig, dPrime), first ? genuine : genuine.nextSibling);
      });
      expect(await refusal(xml)).toBe('SIG_STRUCTURE');
    }
  });

  it('ATK-15: forged SignedInfo smuggled into KeyInfo (schema-invalid there) → SIG_STRUCTURE', async () => {
    const xml = edit((_, sig, dPrime) => kid(sig, NS.ds, 'KeyInfo').appendChild(forgedSignedInfo(sig, dPrime)));
    expect(await refusal(xml)).toBe('SIG_STRUCTURE');
  });

  it('ATK-15/08: forged SignedInfo smuggled into a ds:Object of the Signature → SIG_SCOPE (no Object allowed)', async () => {
    const xml = edit((_, sig, dPrime) => {
      const object = sig.ownerDocument!.createElementNS(NS.ds, 'ds:Object');
      object.appendChild(forgedSignedInfo(sig, dPrime));
      sig.appendChild(object);
    });
    expect(await refusal(xml)).toBe('SIG_SCOPE');
  });

  const digestValueOf = (sig: Element) => kid(kid(kid(sig, NS.ds, 'SignedInfo'), NS.ds, 'Reference'), NS.ds, 'DigestValue');
  const signatureValueOf = (sig: Element) => kid(sig, NS.ds, 'SignatureValue');
  type Smuggle = (el: Element, dPrime: string) => void;
  const prepend = (make: (d: Document, dPrime: string) => Node): Smuggle => (el, dPrime) =>
    el.insertBefore(make(el.ownerDocument!, dPrime), el.firstChild);
  const splitCdata: Smuggle = (el) => {
    const text = el.textContent!;
    el.textContent = `${cdata(text.slice(0, 8))}${text.slice(8)}`;
  };
  const smuggles: Array<[string, Smuggle]> = [
    ["<!--D'--> before the value (SAMLStorm)", prepend((d, p) => d.createComment(p))],
    ["<?x D'?> before the value", prepend((d, p) => d.createProcessingInstruction('x', p))],
    ["a child element <ds:DigestValue>D'</…> before the value", prepend((d, p) => {
      const e = d.createElementNS(NS.ds, 'ds:DigestValue');
      e.appendChild(d.createTextNode(p));
      return e;
    })],
    ['a CDATA split of the value', splitCdata],
  ];
  it.each(smuggles)('ATK-16: %s in DigestValue → SIG_STRUCTURE', async (_, smuggle) => {
    const xml = edit((_, sig, dPrime) => smuggle(digestValueOf(sig), dPrime));
    expect(await refusal(xml)).toBe('SIG_STRUCTURE');
  });
  it.each(smuggles)('ATK-16: %s in SignatureValue → SIG_STRUCTURE', async (_, smuggle) => {
    // content left unchanged here: only the SignatureValue node shape is wrong
    const xml = mutate(signed[signer]!, (d) => smuggle(signatureValueOf(signatureOf(d.documentElement!)), 'AAAA'));
    expect(await refusal(xml)).toBe('SIG_STRUCTURE');
  });

  const garbage: Array<[string, (v: string) => string]> = [
    ['"!" inside', (v) => `${v.slice(0, 10)}!${v.slice(10)}`],
    ['"*" inside', (v) => `${v.slice(0, 10)}*${v.slice(10)}`],
    ['a non-ASCII letter inside', (v) => `${v.slice(0, 10)}é${v.slice(10)}`],
    ['"=" padding in the middle', (v) => `${v.slice(0, 8)}=${v.slice(8)}`],
    ['URL-safe alphabet', (v) => v.replace(/\+/g, '-').replace(/\//g, '_').replace(/^(.)/, '-')],
    ['trailing garbage after the padding', (v) => `${v}junk`],
  ];
  it.each(garbage)('ATK-16: garbage in base64 (%s) of DigestValue and of SignatureValue → SIG_STRUCTURE', async (_, spoil) => {
    for (const part of [digestValueOf, signatureValueOf]) {
      const xml = mutate(signed[signer]!, (d) => {
        const el = part(signatureOf(d.documentElement!));
        el.textContent = spoil(el.textContent!.replace(/\s+/g, ''));
      });
      expect(await refusal(xml)).toBe('SIG_STRUCTURE');
    }
  });
});

describe('ATK-17 R-SEC-01: decoy Signature parts earlier in document order are never read', () => {
  it('ATK-17: decoy ds:Signature with D\' in StatusDetail before the signed Assertion → DIGEST_MISMATCH (decoy ignored)', async () => {
    const xml = mutate(signed.assertion!, (d) => {
      const root = d.documentElement!;
      const assertion = assertionOf(root);
      setPersonIdentifier(assertion, VICTIM_IDENTIFIER);
      const dPrime = standardDigest(assertion);
      const decoy = signatureOf(assertion).cloneNode(true) as Element;
      kid(kid(kid(decoy, NS.ds, 'SignedInfo'), NS.ds, 'Reference'), NS.ds, 'DigestValue').textContent = dPrime;
      const detail = d.createElementNS(NS.samlp, 'saml2p:StatusDetail');
      detail.appendChild(decoy);
      kid(root, NS.samlp, 'Status').appendChild(detail);
    });
    const assertion = assertionOf(parseXml(xml).documentElement!);
    expect(await outcomeOf(() => verifyElement(assertion, options()))).toBe('DIGEST_MISMATCH');
  });

  it('ATK-17: decoy ds:Signature with D\' as first child of the signed Response (two Signatures) → SIG_SCOPE', async () => {
    const xml = mutate(signed['core signer']!, (d) => {
      const root = d.documentElement!;
      const dPrime = changeContent(root);
      const decoy = signatureOf(root).cloneNode(true) as Element;
      kid(kid(kid(decoy, NS.ds, 'SignedInfo'), NS.ds, 'Reference'), NS.ds, 'DigestValue').textContent = dPrime;
      root.insertBefore(decoy, root.firstChild);
    });
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('SIG_SCOPE');
  });
});
