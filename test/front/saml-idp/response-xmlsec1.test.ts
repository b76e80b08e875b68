/**
 * Our Responses checked by an implementation nobody here wrote: xmlsec1 1.2.37 (Debian), the
 * library under pysaml2 and Lasso. It verifies the Response signature (ECDSA P-256), decrypts
 * the assertion (AES-GCM + rsa-oaep-mgf1p, what a 1.2-era connector lists), then verifies the
 * assertion signature on the decrypted document (R-RSP-01..03, R-CRY-05/07, DESIGN §3).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { ENC } from '../../../src/saml/namespaces.ts';
import { parseXml } from '../../../src/saml/index.ts';
import { buildErrorResponse, buildSuccessResponse, STATUS } from '../../../src/front/saml-idp/index.ts';
import { describeWithPeer } from '../../helpers/peers.ts';
import { LOA_SUBSTANTIAL, attributesFor, attributesOf, validatedDe } from './support/responses.ts';
import { KEYS, NS, YY, kid, world, type World } from './support/world.ts';

const ID_ATTRS = [
  '--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:protocol:Response',
  '--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:assertion:Assertion',
];
const ASSERTION_SIGNATURE = "//*[local-name()='Assertion']/*[local-name()='Signature']";

describeWithPeer(['xmlsec1'], 'our Response read by xmlsec1 1.2 (R-RSP-01..03, R-CRY-05/07)', () => {
  let dir: string;
  let w: World;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pont-idp-xmlsec1-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    w = world();
  });

  const yyRequest = () => validatedDe({ peerEntityId: YY, acsUrl: 'https://connector.yy.example/acs', country: 'YY' });
  const special = {
    PersonIdentifier: ['FR/YY/9c1f0e6b2a9d4c1e'],
    FamilyName: [`L'Hôpital & <Fils> "Œuvre" ]]>`],
    FirstName: ['Μαρία-Ελένη Иван 王芳'],
  };

  function write(name: string, xml: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, xml);
    return file;
  }

  function xmlsec1(args: string[]): { ok: boolean; stdout: string; stderr: string } {
    const r = spawnSync('xmlsec1', args, { encoding: 'utf8' });
    return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
  }

  for (const dataAlgorithm of [ENC.AES128_GCM, ENC.AES256_GCM]) {
    it(`R-RSP-01..03: xmlsec1 verifies the Response, decrypts (${dataAlgorithm.split('#')[1]} + rsa-oaep-mgf1p) and verifies the Assertion`, async () => {
      w.deps.peers.descriptors[YY]!.encryptionMethods = [dataAlgorithm, ENC.RSA_OAEP_MGF1P];
      const built = await buildSuccessResponse(
        yyRequest(),
        { attributes: attributesFor(special), loa: LOA_SUBSTANTIAL, nameId: 'FR/YY/9c1f0e6b2a9d4c1e' },
        { settings: w.settings, deps: w.deps },
      );
      const file = write('response.xml', built.xml);

      const verified = xmlsec1(['--verify', '--pubkey-cert-pem', KEYS.ours.certFile, ...ID_ATTRS, file]);
      expect(verified.stderr).toContain('OK');
      expect(verified.ok).toBe(true);

      const decrypted = execFileSync('xmlsec1', ['--decrypt', '--privkey-pem', `${KEYS.encRsa3072.keyFile},${KEYS.encRsa3072.certFile}`, file], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const decryptedFile = write('decrypted.xml', decrypted.toString('utf8'));
      const assertionVerified = xmlsec1(['--verify', '--pubkey-cert-pem', KEYS.ours.certFile, ...ID_ATTRS, '--node-xpath', ASSERTION_SIGNATURE, decryptedFile]);
      expect(assertionVerified.ok).toBe(true);
      const forged = write('forged.xml', decrypted.toString('utf8').replace('FR/YY/9c1f0e6b2a9d4c1e</saml2:AttributeValue>', 'FR/YY/victim</saml2:AttributeValue>'));
      expect(xmlsec1(['--verify', '--pubkey-cert-pem', KEYS.ours.certFile, ...ID_ATTRS, '--node-xpath', ASSERTION_SIGNATURE, forged]).ok).toBe(false);

      // What xmlsec1 decrypted is our assertion, values intact.
      const response = parseXml(decrypted).documentElement!;
      const assertion = kid(kid(response, NS.saml, 'EncryptedAssertion'), NS.saml, 'Assertion');
      const read = Object.fromEntries(attributesOf(assertion).map((a) => [a.friendlyName, a.values]));
      expect([read.PersonIdentifier, read.FamilyName, read.FirstName]).toEqual([special.PersonIdentifier, special.FamilyName, special.FirstName]);
    });
  }

  it('R-RSP-01: xmlsec1 refuses our Response once a value was changed (the check is real)', async () => {
    const built = await buildErrorResponse(yyRequest(), { top: STATUS.RESPONDER, second: STATUS.AUTHN_FAILED }, { settings: w.settings, deps: w.deps });
    const tampered = write('tampered.xml', built.xml.replace('AuthnFailed', 'RequestDenied'));
    expect(xmlsec1(['--verify', '--pubkey-cert-pem', KEYS.ours.certFile, ...ID_ATTRS, tampered]).ok).toBe(false);
  });

  it('R-RSP-01/07: xmlsec1 verifies our signed error Response', async () => {
    const built = await buildErrorResponse(yyRequest(), { top: STATUS.RESPONDER, second: STATUS.REQUEST_DENIED, message: 'Citizen consent not given.' }, { settings: w.settings, deps: w.deps });
    expect(xmlsec1(['--verify', '--pubkey-cert-pem', KEYS.ours.certFile, ...ID_ATTRS, write('error.xml', built.xml)]).ok).toBe(true);
  });
});
