/**
 * Driver of the independent pysaml2 test Connector (connector.py, run with Debian's python3):
 * makes its keys with the openssl CLI, writes its settings file, and runs its subcommands.
 * Used by connector.test.ts now and by the end-to-end flow tests once the node's SSO exists.
 */
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEBIAN_PYTHON } from '../../helpers/peers.ts';
import { makeTestKey, succeeded } from '../support/python-peer.ts';

const SCRIPT = path.resolve(import.meta.dirname, 'connector.py');

export type Pysaml2Binding = 'post' | 'redirect';

export interface Pysaml2AuthnRequest {
  id: string;
  binding: Pysaml2Binding;
  method: 'POST' | 'GET';
  /** POST: the SSO URL; GET: the full Redirect URL with SAMLRequest (and RelayState). */
  url: string;
  fields: Record<string, string>;
  xml: string;
}

export interface Pysaml2Verdict {
  /** 0: valid Success Response; 2: valid signed error Response; 1: refused. */
  code: number;
  report?: Record<string, unknown>;
  /** The FAIL line when refused. */
  failure?: string;
}

export interface Pysaml2Connector {
  dir: string;
  entityId: string;
  acsUrl: string;
  certs: { signing: X509Certificate; metadata: X509Certificate; encryption: X509Certificate };
  files: { encryptionKey: string; encryptionCert: string; metadataCert: string };
  /** The node's Proxy-Service metadata and the certificate that must have signed it. */
  setIdpMetadata(xml: string, trustAnchorPem: string): void;
  metadata(validHours?: number): string;
  authnRequest(binding: Pysaml2Binding, options?: { loa?: string; relayState?: string; destination?: string }): Pysaml2AuthnRequest;
  /** `samlResponse`: the SAMLResponse form value (base64) or the Response XML. */
  checkResponse(samlResponse: string, requestId?: string): Pysaml2Verdict;
  cleanup(): void;
}

export function createPysaml2Connector(options: { entityId: string; acsUrl: string; nodeCountry?: string }): Pysaml2Connector {
  const dir = mkdtempSync(path.join(tmpdir(), 'pont-pysaml2-'));
  const file = (name: string) => path.join(dir, name);
  makeKey(dir, 'signing', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'digitalSignature');
  makeKey(dir, 'metadata', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'digitalSignature');
  makeKey(dir, 'encryption', ['-newkey', 'rsa:3072'], 'keyEncipherment');
  const settings: Record<string, string> = {
    entity_id: options.entityId,
    acs_url: options.acsUrl,
    node_country: options.nodeCountry ?? 'XF',
    state_file: file('state.json'),
  };
  for (const role of ['signing', 'encryption', 'metadata']) {
    settings[`${role}_key`] = file(`${role}.key.pem`);
    settings[`${role}_cert`] = file(`${role}.cert.pem`);
  }
  const settingsFile = file('settings.json');
  const save = () => writeFileSync(settingsFile, JSON.stringify(settings));
  save();
  const cert = (role: string) => new X509Certificate(readFileSync(file(`${role}.cert.pem`)));
  const run = (args: string[]) => spawnSync(DEBIAN_PYTHON, [SCRIPT, settingsFile, ...args], { encoding: 'utf8', timeout: 60_000 });
  return {
    dir,
    entityId: options.entityId,
    acsUrl: options.acsUrl,
    certs: { signing: cert('signing'), metadata: cert('metadata'), encryption: cert('encryption') },
    files: { encryptionKey: file('encryption.key.pem'), encryptionCert: file('encryption.cert.pem'), metadataCert: file('metadata.cert.pem') },
    setIdpMetadata(xml, trustAnchorPem) {
      writeFileSync(file('idp-metadata.xml'), xml);
      writeFileSync(file('idp-trust-anchor.pem'), trustAnchorPem);
      settings.idp_metadata = file('idp-metadata.xml');
      settings.idp_trust_anchor = file('idp-trust-anchor.pem');
      save();
    },
    metadata(validHours = 24) {
      return succeeded(run(['metadata', '--valid-hours', String(validHours)]), 'metadata');
    },
    authnRequest(binding, o = {}) {
      const args = ['authn-request', '--binding', binding];
      if (o.loa) args.push('--loa', o.loa);
      if (o.relayState) args.push('--relay-state', o.relayState);
      if (o.destination) args.push('--destination', o.destination);
      return JSON.parse(succeeded(run(args), 'authn-request')) as Pysaml2AuthnRequest;
    },
    checkResponse(samlResponse, requestId) {
      const input = file(`response-${Date.now()}-${Math.random().toString(16).slice(2)}.txt`);
      writeFileSync(input, samlResponse);
      const r = run(['check-response', input, ...(requestId ? ['--request-id', requestId] : [])]);
      const out = r.stdout.trim();
      if (r.status === 0 || r.status === 2) return { code: r.status, report: JSON.parse(out) as Record<string, unknown> };
      return { code: r.status ?? -1, failure: out || r.stderr.trim().split('\n').pop() };
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function makeKey(dir: string, role: string, keyArgs: string[], keyUsage: string): void {
  makeTestKey(dir, role, keyArgs, keyUsage, 'pysaml2 test connector');
}
