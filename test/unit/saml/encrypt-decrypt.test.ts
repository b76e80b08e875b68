/** Encrypt → decrypt round trips and the shape of what we send (R-CRY-05..09). */
import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { decryptElement } from '../../../src/saml/decrypt.ts';
import { encryptElement } from '../../../src/saml/encrypt.ts';
import { ENC, NS } from '../../../src/saml/namespaces.ts';
import { parseXml, serializeXml } from '../../../src/saml/parser.ts';
import {
  encryptedResponse,
  euCert,
  euKey,
  excC14n,
  find,
  inEncryptedAssertion,
  plainResponse,
  reasonOf,
  thirdPartyEncrypt,
} from './enc-fixtures.ts';

const ec = (namedCurve: string) => crypto.generateKeyPairSync('ec', { namedCurve });
const child = (el: Element, ns: string, name: string) => find(el, ns, name);

describe('encrypt → decrypt round trips', () => {
  const expected = excC14n(plainResponse().assertion);

  it('R-CRY-07: RSA recipient, default xmlenc11#rsa-oaep with SHA-256 digest and MGF1-SHA256, AES-256-GCM', async () => {
    const { encrypted } = await encryptedResponse({ recipient: euCert('test-rsa') });
    const method = child(child(encrypted, NS.xenc, 'EncryptedKey'), NS.xenc, 'EncryptionMethod');
    expect(method.getAttribute('Algorithm')).toBe(ENC.RSA_OAEP);
    expect(child(method, NS.ds, 'DigestMethod').getAttribute('Algorithm')).toBe('http://www.w3.org/2001/04/xmlenc#sha256');
    expect(child(method, NS.xenc11, 'MGF').getAttribute('Algorithm')).toBe(ENC.MGF1_SHA256);
    expect(child(encrypted, NS.xenc, 'EncryptionMethod').getAttribute('Algorithm')).toBe(ENC.AES256_GCM);
    const assertion = await decryptElement(encrypted, { keys: [euKey('test-rsa')] });
    expect(excC14n(assertion)).toBe(expected);
  });

  it('R-CRY-07: rsa-oaep-mgf1p (SHA-1 digest, for 1.2-era peers) and AES-128-GCM on request', async () => {
    const { encrypted } = await encryptedResponse({
      recipient: euCert('test-rsa'),
      keyTransport: ENC.RSA_OAEP_MGF1P,
      dataAlgorithm: ENC.AES128_GCM,
    });
    const method = child(child(encrypted, NS.xenc, 'EncryptedKey'), NS.xenc, 'EncryptionMethod');
    expect(method.getAttribute('Algorithm')).toBe(ENC.RSA_OAEP_MGF1P);
    expect(method.getElementsByTagNameNS(NS.xenc11, 'MGF').length).toBe(0);
    expect(child(encrypted, NS.xenc, 'EncryptionMethod').getAttribute('Algorithm')).toBe(ENC.AES128_GCM);
    expect(excC14n(await decryptElement(encrypted, { keys: [euKey('test-rsa')] }))).toBe(expected);
  });

  for (const curve of ['prime256v1', 'secp384r1', 'secp521r1', 'brainpoolP256r1', 'brainpoolP384r1', 'brainpoolP512r1']) {
    it(`R-CRY-08: EC recipient on ${curve}: ECDH-ES + ConcatKDF(SHA-256) + kw-aes256, ephemeral key on the same curve`, async () => {
      const pair = ec(curve);
      const { encrypted } = await encryptedResponse({ recipient: pair.publicKey });
      const agreement = child(encrypted, NS.xenc, 'AgreementMethod');
      expect(agreement.getAttribute('Algorithm')).toBe(ENC.ECDH_ES);
      expect(child(agreement, NS.xenc11, 'KeyDerivationMethod').getAttribute('Algorithm')).toBe(ENC.CONCAT_KDF);
      expect(child(child(encrypted, NS.xenc, 'EncryptedKey'), NS.xenc, 'EncryptionMethod').getAttribute('Algorithm')).toBe(ENC.KW_AES256);
      const der = child(child(agreement, NS.xenc, 'OriginatorKeyInfo'), NS.ds11, 'DEREncodedKeyValue').textContent!;
      const ephemeral = crypto.createPublicKey({ key: Buffer.from(der, 'base64'), format: 'der', type: 'spki' });
      expect(ephemeral.asymmetricKeyDetails?.namedCurve).toBe(curve);
      expect(excC14n(await decryptElement(encrypted, { keys: [pair.privateKey] }))).toBe(expected);
    });
  }

  it('R-CRY-08: EC certificate recipient gets kw-aes128 on request; ConcatKDFParams as the EU node writes them; RecipientKeyInfo carries the certificate', async () => {
    const { encrypted } = await encryptedResponse({ recipient: euCert('test-ec-nist'), keyWrap: ENC.KW_AES128 });
    const params = child(encrypted, NS.xenc11, 'ConcatKDFParams');
    expect(['AlgorithmID', 'PartyUInfo', 'PartyVInfo'].map((a) => params.getAttribute(a))).toEqual(['0000', '0000', '0000']);
    expect(child(params, NS.ds, 'DigestMethod').getAttribute('Algorithm')).toBe('http://www.w3.org/2001/04/xmlenc#sha256');
    const recipientCert = child(child(encrypted, NS.xenc, 'RecipientKeyInfo'), NS.ds, 'X509Certificate').textContent;
    expect(recipientCert).toBe(euCert('test-ec-nist').raw.toString('base64'));
    expect(child(child(encrypted, NS.xenc, 'EncryptedKey'), NS.xenc, 'EncryptionMethod').getAttribute('Algorithm')).toBe(ENC.KW_AES128);
    expect(excC14n(await decryptElement(encrypted, { keys: [euKey('test-ec-nist')] }))).toBe(expected);
  });

  it('R-CRY-08/R-CRY-09: every message gets a fresh ephemeral key, CEK and IV', async () => {
    const a = await encryptedResponse({ recipient: euCert('test-ec') });
    const b = await encryptedResponse({ recipient: euCert('test-ec') });
    const pub = (e: Element) => child(e, NS.ds11, 'PublicKey').textContent;
    const values = (e: Element) => Array.from(e.getElementsByTagNameNS(NS.xenc, 'CipherValue')).map((v) => v.textContent);
    expect(pub(a.encrypted)).not.toBe(pub(b.encrypted));
    const [keyA, dataA] = values(a.encrypted);
    const [keyB, dataB] = values(b.encrypted);
    expect(keyA).not.toBe(keyB);
    expect(Buffer.from(dataA!, 'base64').subarray(0, 12)).not.toEqual(Buffer.from(dataB!, 'base64').subarray(0, 12));
  });

  it('R-CRY-05: the wrapper is saml:EncryptedAssertion with the Assertion prefix, in place of the Assertion', async () => {
    const { doc, assertion } = plainResponse();
    const parent = assertion.parentNode;
    const replacement = await encryptElement(assertion, { recipient: euCert('test-ec-nist') });
    expect(replacement.parentNode).toBe(parent);
    expect(replacement.nodeName).toBe('saml2:EncryptedAssertion');
    expect(doc.getElementsByTagNameNS(NS.saml, 'Assertion').length).toBe(0);
    const data = child(replacement, NS.xenc, 'EncryptedData');
    expect(data.getAttribute('Type')).toBe(ENC.TYPE_ELEMENT);
  });

  it('R-CRY-05: an element other than an Assertion is replaced by xenc:EncryptedData itself and decrypts back', async () => {
    const doc = parseXml('<a:Root xmlns:a="urn:x"><a:Secret n="1">caf\u00e9 &amp; &lt;tags&gt;</a:Secret></a:Root>');
    const secret = doc.documentElement!.firstChild as Element;
    const replacement = await encryptElement(secret, { recipient: euCert('test-ec') });
    expect(replacement.localName).toBe('EncryptedData');
    const reparsed = parseXml(serializeXml(doc)).documentElement!.firstChild as Element;
    const back = await decryptElement(reparsed, { keys: [euKey('test-ec')] });
    expect(back.namespaceURI).toBe('urn:x');
    expect(back.textContent).toBe('caf\u00e9 & <tags>');
  });

  it('R-CRY-05: QName values that rely on a prefix declared on the Response (xsi:type="eidas-natural:…") survive encryption', async () => {
    const doc = parseXml(
      '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"' +
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:eidas-natural="http://eidas.europa.eu/attributes/naturalperson">' +
        '<saml:Assertion ID="_a"><saml:AttributeValue xsi:type="eidas-natural:CurrentFamilyNameType">Dupont</saml:AttributeValue></saml:Assertion>' +
        '</samlp:Response>',
    );
    const assertion = find(doc, NS.saml, 'Assertion');
    const encrypted = await encryptElement(assertion, { recipient: euCert('test-ec') });
    const back = await decryptElement(parseXml(serializeXml(encrypted)).documentElement!, { keys: [euKey('test-ec')] });
    const value = find(back, NS.saml, 'AttributeValue');
    expect(value.lookupNamespaceURI('eidas-natural')).toBe('http://eidas.europa.eu/attributes/naturalperson');
    expect(value.getAttributeNS(NS.xsi, 'type')).toBe('eidas-natural:CurrentFamilyNameType');
  });

  it('R-CRY-05: a plaintext that uses a prefix declared only around the EncryptedData (xml-encryption as sender) is read in that context', async () => {
    const content = '<saml2:Assertion ID="_ctx"><saml2:Issuer>https://peer.example</saml2:Issuer></saml2:Assertion>';
    const encryptedData = await thirdPartyEncrypt(content, ENC.AES256_GCM, ENC.RSA_OAEP_MGF1P);
    const assertion = await decryptElement(inEncryptedAssertion(encryptedData), { keys: [euKey('test-rsa')] });
    expect(assertion.namespaceURI).toBe(NS.saml);
    expect(assertion.getAttribute('ID')).toBe('_ctx');
    expect(find(assertion, NS.saml, 'Issuer').textContent).toBe('https://peer.example');
    // Without any declaration in scope the plaintext is not namespace-well-formed.
    expect(await reasonOf(decryptElement(encryptedData, { keys: [euKey('test-rsa')] }))).toBe('XML_MALFORMED');
  });

  it('R-CRY-06: with an active and a retiring key, a message for the retiring key still decrypts', async () => {
    const active = ec('prime256v1');
    const retiring = ec('prime256v1');
    const { encrypted } = await encryptedResponse({ recipient: retiring.publicKey });
    const assertion = await decryptElement(encrypted, { keys: [active.privateKey, retiring.privateKey] });
    expect(excC14n(assertion)).toBe(expected);
    expect(await reasonOf(decryptElement(encrypted, { keys: [active.privateKey] }))).toBe('DECRYPT_FAILED');
  });
});

describe('what we refuse to send (R-CRY-05..07)', () => {
  let rsa2048: crypto.KeyObject;
  beforeAll(() => {
    rsa2048 = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
  });

  it('R-CRY-05: AES-CBC, AES-192-GCM and unknown content algorithms are not emitted (ENC_ALG_NOT_ALLOWED)', async () => {
    for (const dataAlgorithm of ['http://www.w3.org/2001/04/xmlenc#aes256-cbc', ENC.AES192_GCM, 'urn:x']) {
      const { assertion } = plainResponse();
      expect(await reasonOf(encryptElement(assertion, { recipient: euCert('test-rsa'), dataAlgorithm }))).toBe('ENC_ALG_NOT_ALLOWED');
    }
  });

  it('R-CRY-07: RSA under 3072 bits, rsa-1_5, and a key wrap for an RSA recipient are refused (ENC_ALG_NOT_ALLOWED)', async () => {
    const cases = [
      { recipient: rsa2048 },
      { recipient: euCert('test-rsa'), keyTransport: 'http://www.w3.org/2001/04/xmlenc#rsa-1_5' },
      { recipient: euCert('test-rsa'), keyWrap: ENC.KW_AES256 },
      { recipient: euCert('test-ec'), keyTransport: ENC.RSA_OAEP },
      { recipient: euCert('test-ec'), keyWrap: 'http://www.w3.org/2001/04/xmlenc#kw-aes192' },
      { recipient: crypto.generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey },
    ];
    for (const options of cases) {
      const { assertion } = plainResponse();
      expect(await reasonOf(encryptElement(assertion, options))).toBe('ENC_ALG_NOT_ALLOWED');
      expect(assertion.parentNode).not.toBeNull(); // nothing replaced on refusal
    }
  });
});
