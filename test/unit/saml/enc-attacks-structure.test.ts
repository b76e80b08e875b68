/**
 * Attacks on XML Encryption, part 2 (attacks.md §C): EncryptedKey / EncryptedData structure
 * confusion (ATK-36) and ECDH-ES key-agreement mistakes (ATK-37).
 */
import crypto from 'node:crypto';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decryptElement } from '../../../src/saml/decrypt.ts';
import { ENC, NS } from '../../../src/saml/namespaces.ts';
import { serializeXml } from '../../../src/saml/parser.ts';
import {
  encryptedResponse,
  euCert,
  euKey,
  excC14n,
  find,
  inEncryptedAssertion,
  messageOf,
  plainResponse,
  reasonOf,
  spyKeyOperations,
  thirdPartyEncrypt,
} from './enc-fixtures.ts';

const rsaKeys = [euKey('test-rsa')];
const ecKeys = [euKey('test-ec-nist')];
let spy: ReturnType<typeof spyKeyOperations>;
beforeEach(() => {
  spy = spyKeyOperations();
});
afterEach(() => spy.restore());

function el(doc: Document, ns: string, qname: string, attrs: Record<string, string> = {}, text?: string): Element {
  const e = doc.createElementNS(ns, qname);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.appendChild(doc.createTextNode(text));
  return e;
}
const rsaMessage = () => encryptedResponse({ recipient: euCert('test-rsa') });
const ecMessage = async () => {
  const message = await encryptedResponse({ recipient: euCert('test-ec-nist') });
  spy.clear(); // building the input ran our own ECDH
  return message;
};

/** Moves the inline EncryptedKey out as a sibling and points a RetrievalMethod at it. */
function toSiblingForm(encrypted: Element, uri?: string): Element {
  const ek = find(encrypted, NS.xenc, 'EncryptedKey');
  const keyInfo = ek.parentNode as Element;
  keyInfo.removeChild(ek);
  encrypted.appendChild(ek);
  const type = `${NS.xenc}EncryptedKey`;
  keyInfo.appendChild(el(encrypted.ownerDocument, NS.ds, 'ds:RetrievalMethod', { URI: uri ?? `#${ek.getAttribute('Id')}`, Type: type }));
  return ek;
}

describe('ATK-36: EncryptedKey / EncryptedData structure confusion', () => {
  const expected = excC14n(plainResponse().assertion);

  it('ATK-36: the sibling form (one EncryptedKey named by RetrievalMethod "#id", ReferenceList back to the data) decrypts', async () => {
    const { encrypted } = await rsaMessage();
    const ek = toSiblingForm(encrypted);
    const list = el(encrypted.ownerDocument, NS.xenc, 'xenc:ReferenceList');
    const dataId = find(encrypted, NS.xenc, 'EncryptedData').getAttribute('Id')!;
    list.appendChild(el(encrypted.ownerDocument, NS.xenc, 'xenc:DataReference', { URI: `#${dataId}` }));
    ek.appendChild(list);
    expect(excC14n(await decryptElement(encrypted, { keys: rsaKeys }))).toBe(expected);
  });

  type Mutation = [string, (enc: Element) => void | Promise<void>, Element[]?];
  const mutations: Mutation[] = [
    ['an attacker EncryptedData before the genuine one', async (enc) => {
      const { encrypted: attacker } = await rsaMessage();
      enc.insertBefore(enc.ownerDocument.importNode(find(attacker, NS.xenc, 'EncryptedData'), true), enc.firstChild);
    }],
    ['two inline EncryptedKey elements', (enc) => {
      const ek = find(enc, NS.xenc, 'EncryptedKey');
      ek.parentNode!.appendChild(ek.cloneNode(true));
    }],
    ['an inline EncryptedKey and a sibling one', (enc) => {
      enc.appendChild(find(enc, NS.xenc, 'EncryptedKey').cloneNode(true));
    }],
    ['a sibling EncryptedKey named by nothing (KeyName decoy)', (enc) => {
      const ek = find(enc, NS.xenc, 'EncryptedKey');
      const keyInfo = ek.parentNode as Element;
      keyInfo.removeChild(ek);
      enc.appendChild(ek);
      keyInfo.appendChild(el(enc.ownerDocument, NS.ds, 'ds:KeyName', {}, 'ours'));
    }],
    ['a RetrievalMethod to an external URL', (enc) => void toSiblingForm(enc, 'https://attacker.example/key.xml')],
    ['a RetrievalMethod to another id', (enc) => void toSiblingForm(enc, '#_decoy')],
    ['a RetrievalMethod inside the EncryptedKey KeyInfo', (enc) => {
      const inner = find(find(enc, NS.xenc, 'EncryptedKey'), NS.ds, 'KeyInfo');
      inner.appendChild(el(enc.ownerDocument, NS.ds, 'ds:RetrievalMethod', { URI: 'https://attacker.example/k' }));
    }],
    ['a ds:KeyName decoy next to the EncryptedKey', (enc) => {
      find(enc, NS.xenc, 'EncryptedKey').parentNode!.appendChild(el(enc.ownerDocument, NS.ds, 'ds:KeyName', {}, 'decoy'));
    }],
    ['a CarriedKeyName in the EncryptedKey', (enc) => {
      find(enc, NS.xenc, 'EncryptedKey').appendChild(el(enc.ownerDocument, NS.xenc, 'xenc:CarriedKeyName', {}, 'k'));
    }],
    ['a ReferenceList naming another EncryptedData', (enc) => {
      const list = el(enc.ownerDocument, NS.xenc, 'xenc:ReferenceList');
      list.appendChild(el(enc.ownerDocument, NS.xenc, 'xenc:DataReference', { URI: '#_other' }));
      find(enc, NS.xenc, 'EncryptedKey').appendChild(list);
    }],
    ['an EncryptedKey addressed to another Recipient', (enc) => {
      find(enc, NS.xenc, 'EncryptedKey').setAttribute('Recipient', 'https://other.example/metadata');
    }],
    ['an external CipherReference instead of CipherValue', (enc) => {
      const data = find(enc, NS.xenc, 'CipherData', 1);
      while (data.firstChild) data.removeChild(data.firstChild);
      data.appendChild(el(enc.ownerDocument, NS.xenc, 'xenc:CipherReference', { URI: 'file:///etc/passwd' }));
    }],
    ['EncryptedData without Type', (enc) => find(enc, NS.xenc, 'EncryptedData').removeAttribute('Type')],
    ['EncryptedData of Type Content', (enc) => find(enc, NS.xenc, 'EncryptedData').setAttribute('Type', `${NS.xenc}Content`)],
    ['a comment inside CipherValue', (enc) => {
      const cv = find(enc, NS.xenc, 'CipherValue', 1);
      cv.insertBefore(enc.ownerDocument.createComment('x'), cv.firstChild);
    }],
    ['EncryptionProperties inside EncryptedData', (enc) => {
      find(enc, NS.xenc, 'EncryptedData').appendChild(el(enc.ownerDocument, NS.xenc, 'xenc:EncryptionProperties'));
    }],
    ['a KeySize parameter on the content algorithm', (enc) => {
      find(enc, NS.xenc, 'EncryptionMethod').appendChild(el(enc.ownerDocument, NS.xenc, 'xenc:KeySize', {}, '128'));
    }],
  ];
  for (const [name, mutate] of mutations) {
    it(`ATK-36: ${name} is ENC_FORMAT before any key operation`, async () => {
      const { encrypted } = await rsaMessage();
      await mutate(encrypted);
      const refused = decryptElement(encrypted, { keys: rsaKeys, recipient: 'https://pont.example/metadata' });
      expect(await reasonOf(refused)).toBe('ENC_FORMAT');
      spy.expectNone();
    });
  }

  it('ATK-36: two AgreementMethods in the EncryptedKey are ENC_FORMAT before any ECDH', async () => {
    const { encrypted } = await ecMessage();
    const am = find(encrypted, NS.xenc, 'AgreementMethod');
    am.parentNode!.appendChild(am.cloneNode(true));
    expect(await reasonOf(decryptElement(encrypted, { keys: ecKeys }))).toBe('ENC_FORMAT');
    spy.expectNone();
  });

  it('ATK-36: an element that is not an encrypted SAML element is ENC_FORMAT', async () => {
    const { doc } = await rsaMessage();
    expect(await reasonOf(decryptElement(doc.documentElement!, { keys: rsaKeys }))).toBe('ENC_FORMAT');
  });

  it('ATK-12/ATK-36: an EncryptedAssertion whose plaintext holds two Assertions, or no Assertion, is ASSERTION_COUNT', async () => {
    const assertion = serializeXml(plainResponse().assertion);
    for (const content of [assertion + assertion, '<saml2:Subject xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"/>']) {
      const encrypted = inEncryptedAssertion(await thirdPartyEncrypt(content, ENC.AES256_GCM, ENC.RSA_OAEP_MGF1P));
      expect(await reasonOf(decryptElement(encrypted, { keys: rsaKeys }))).toBe('ASSERTION_COUNT');
    }
  });
});

describe('ATK-37: ECDH-ES invalid-curve and key-agreement mistakes', () => {
  const originator = (enc: Element) => find(enc, NS.xenc, 'OriginatorKeyInfo');
  const point = (enc: Element) => find(enc, NS.ds11, 'PublicKey');
  const dropDer = (enc: Element) => originator(enc).removeChild(find(enc, NS.ds11, 'DEREncodedKeyValue'));
  const dropKeyValue = (enc: Element) => originator(enc).removeChild(find(originator(enc), NS.ds, 'KeyValue'));

  const cases: Array<[string, (enc: Element) => void]> = [
    ['an off-curve point (ECKeyValue)', (enc) => {
      dropDer(enc);
      const p = Buffer.from(point(enc).textContent!, 'base64');
      p[p.length - 1]! ^= 0x01;
      point(enc).textContent = p.toString('base64');
    }],
    ['an off-curve point (DEREncodedKeyValue)', (enc) => {
      dropKeyValue(enc);
      const der = find(enc, NS.ds11, 'DEREncodedKeyValue');
      const b = Buffer.from(der.textContent!, 'base64');
      b[b.length - 1]! ^= 0x01;
      der.textContent = b.toString('base64');
    }],
    // Node 20 imports an SPKI holding the point at infinity and then aborts the process when the
    // key's details are read: these two must be stopped before node:crypto sees the key.
    ['the point at infinity (ECKeyValue)', (enc) => {
      dropDer(enc);
      point(enc).textContent = Buffer.from([0]).toString('base64');
    }],
    ['the point at infinity (DEREncodedKeyValue)', (enc) => {
      dropKeyValue(enc);
      const der = find(enc, NS.ds11, 'DEREncodedKeyValue');
      const algorithmId = Buffer.from(der.textContent!, 'base64').subarray(2, 23);
      der.textContent = Buffer.concat([Buffer.from([0x30, 0x19]), algorithmId, Buffer.from([0x03, 0x02, 0x00, 0x00])]).toString('base64');
    }],
    ['a valid P-384 point against our P-256 key', (enc) => {
      dropKeyValue(enc);
      const p384 = crypto.generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey;
      find(enc, NS.ds11, 'DEREncodedKeyValue').textContent = p384.export({ format: 'der', type: 'spki' }).toString('base64');
    }],
    ['a curve outside the eIDAS list (secp256k1)', (enc) => {
      dropDer(enc);
      find(enc, NS.ds11, 'NamedCurve').setAttribute('URI', 'urn:oid:1.3.132.0.10');
    }],
    ['ECKeyValue and DEREncodedKeyValue naming different keys', (enc) => {
      const other = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
      find(enc, NS.ds11, 'DEREncodedKeyValue').textContent = other.export({ format: 'der', type: 'spki' }).toString('base64');
    }],
    ['explicit curve parameters', (enc) => {
      const ecKv = find(enc, NS.ds11, 'ECKeyValue');
      ecKv.replaceChild(enc.ownerDocument.createElementNS(NS.ds11, 'ds11:ECParameters'), find(ecKv, NS.ds11, 'NamedCurve'));
    }],
    ['a wrapped key of the wrong length', (enc) => {
      find(enc, NS.xenc, 'CipherValue', 0).textContent = Buffer.alloc(32, 1).toString('base64');
    }],
  ];
  for (const [name, mutate] of cases) {
    it(`ATK-37: ${name} is ENC_FORMAT and no ECDH runs`, async () => {
      const { encrypted } = await ecMessage();
      mutate(encrypted);
      expect(await reasonOf(decryptElement(encrypted, { keys: ecKeys }))).toBe('ENC_FORMAT');
      spy.expectNone();
    });
  }

  const algorithms: Array<[string, (enc: Element) => void]> = [
    ['a SHA-1 ConcatKDF digest', (enc) => find(find(enc, NS.xenc11, 'ConcatKDFParams'), NS.ds, 'DigestMethod').setAttribute('Algorithm', ENC.SHA1)],
    ['a key derivation other than ConcatKDF', (enc) => find(enc, NS.xenc11, 'KeyDerivationMethod').setAttribute('Algorithm', 'http://www.w3.org/2009/xmlenc11#pbkdf2')],
    ['a key agreement other than ECDH-ES', (enc) => find(enc, NS.xenc, 'AgreementMethod').setAttribute('Algorithm', 'http://www.w3.org/2001/04/xmlenc#dh')],
    ['kw-aes192 / unknown key wrap', (enc) => find(find(enc, NS.xenc, 'EncryptedKey'), NS.xenc, 'EncryptionMethod').setAttribute('Algorithm', 'http://www.w3.org/2001/04/xmlenc#kw-aes192')],
  ];
  for (const [name, mutate] of algorithms) {
    it(`ATK-37: ${name} is ENC_ALG_NOT_ALLOWED and no ECDH runs`, async () => {
      const { encrypted } = await ecMessage();
      mutate(encrypted);
      expect(await reasonOf(decryptElement(encrypted, { keys: ecKeys }))).toBe('ENC_ALG_NOT_ALLOWED');
      spy.expectNone();
    });
  }

  it('ATK-37: mangled ConcatKDF parameters and an AES-KW integrity failure are the same DECRYPT_FAILED as a GCM tag failure', async () => {
    const messages = new Set<string>();
    const variants: Array<(enc: Element) => void> = [
      (enc) => find(enc, NS.xenc11, 'ConcatKDFParams').setAttribute('PartyUInfo', '0001'),
      (enc) => find(enc, NS.xenc11, 'ConcatKDFParams').setAttribute('AlgorithmID', '00' + Buffer.from(ENC.KW_AES256).toString('hex')),
      (enc) => {
        const cv = find(enc, NS.xenc, 'CipherValue', 0);
        const b = Buffer.from(cv.textContent!, 'base64');
        b[3]! ^= 0x80;
        cv.textContent = b.toString('base64');
      },
      (enc) => {
        const cv = find(enc, NS.xenc, 'CipherValue', 1);
        const b = Buffer.from(cv.textContent!, 'base64');
        b[b.length - 1]! ^= 0x80;
        cv.textContent = b.toString('base64');
      },
    ];
    for (const mutate of variants) {
      const { encrypted } = await ecMessage();
      mutate(encrypted);
      expect(await reasonOf(decryptElement(encrypted, { keys: ecKeys }))).toBe('DECRYPT_FAILED');
      messages.add(await messageOf(decryptElement(encrypted, { keys: ecKeys })));
    }
    expect(messages.size).toBe(1);
    expect(spy.spies.diffieHellman).toHaveBeenCalled(); // the spies do see ECDH
  });

  it('ATK-37: fuzzed ephemeral points only ever give ENC_FORMAT or DECRYPT_FAILED', async () => {
    const { xml } = await ecMessage();
    const { parseXml } = await import('../../../src/saml/parser.ts');
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 100 }), fc.boolean(), async (bytes, uncompressed) => {
        const enc = find(parseXml(xml), NS.saml, 'EncryptedAssertion');
        dropDer(enc);
        const p = Buffer.from(bytes);
        if (uncompressed && p.length > 0) p[0] = 4;
        point(enc).textContent = p.toString('base64');
        const reason = await reasonOf(decryptElement(enc, { keys: ecKeys }));
        expect(['ENC_FORMAT', 'DECRYPT_FAILED']).toContain(reason);
      }),
      { numRuns: 200 },
    );
  });
});
