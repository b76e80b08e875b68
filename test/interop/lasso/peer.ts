/**
 * Driver of the independent Lasso test Connector (connector.py, run with Debian's python3):
 * makes its RSA-3072 keys with the openssl CLI, writes its settings file, and runs its
 * subcommands. Lasso signs rsa-sha256 only: a peer the node accepts only as a legacy peer.
 */
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEBIAN_PYTHON } from '../../helpers/peers.ts';
import { makeTestKey, succeeded } from '../support/python-peer.ts';

const SCRIPT = path.resolve(import.meta.dirname, 'connector.py');

/** How xmlsec1 signs the metadata: rsa-sha256 (a 1.2-era node) or ecdsa-sha256 (an EC P-256 metadata key). */
export type LassoMetadataSignature = 'rsa-sha256' | 'ecdsa-sha256';

export interface LassoAuthnRequest {
  id: string;
  method: 'POST';
  /** The node's HTTP-POST SSO endpoint, from its metadata. */
  url: string;
  fields: Record<string, string>;
  xml: string;
}

/** What Lasso read from the node's Response (lasso_response.py). */
export interface LassoReading {
  signatures: 'not checked by Lasso (Response signature removed)' | 'verified by Lasso';
  issuer: string;
  destination: string;
  in_response_to: string;
  status: string;
  wire: { response_signature: string[]; data_encryption: string[]; key_transport: string[] };
  assertion_issuer: string;
  name_id: { format: string; value: string };
  loa: string;
  audience: string[];
  /** Lasso's validateConditions: time window and AudienceRestriction against its entityID. */
  conditions: 'valid' | 'invalid' | 'indeterminate';
  attributes: Record<string, string[]>;
  /** xsi:type of each value as `{namespace}LocalName`. */
  value_types: Record<string, Array<string | null>>;
}

export type LassoVerdict = { ok: true; reading: LassoReading } | { ok: false; failure: string };

export interface LassoConnector {
  dir: string;
  entityId: string;
  acsUrl: string;
  certs: { signing: X509Certificate; encryption: X509Certificate; metadata: X509Certificate };
  files: { metadataCert: string };
  /** The node's Proxy-Service metadata, as fetched from it (Lasso cannot verify its signature). */
  setIdpMetadata(xml: string): void;
  metadata(validHours?: number): string;
  authnRequest(options?: { loa?: string; relayState?: string }): LassoAuthnRequest;
  /**
   * Lasso resumes the pending login of `requestId` and processes the Response. `force`: as sent,
   * Lasso must verify the signatures; `ignore`: checks off and the Response's own signature
   * removed first (Lasso 2.8.1 fails on any signature it cannot verify, whatever the hint).
   */
  readResponse(samlResponse: string, requestId: string, signatures: 'ignore' | 'force'): LassoVerdict;
  cleanup(): void;
}

export function createLassoConnector(options: {
  entityId: string;
  acsUrl: string;
  nodeCountry?: string;
  metadataSignature?: LassoMetadataSignature;
}): LassoConnector {
  const dir = mkdtempSync(path.join(tmpdir(), 'pont-lasso-'));
  const file = (name: string) => path.join(dir, name);
  const metadataSignature = options.metadataSignature ?? 'rsa-sha256';
  makeKey(dir, 'signing', ['-newkey', 'rsa:3072'], 'digitalSignature');
  makeKey(dir, 'encryption', ['-newkey', 'rsa:3072'], 'keyEncipherment');
  const metadataKey = metadataSignature === 'rsa-sha256' ? ['-newkey', 'rsa:3072'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  makeKey(dir, 'metadata', metadataKey, 'digitalSignature');
  const settings: Record<string, string> = {
    entity_id: options.entityId,
    acs_url: options.acsUrl,
    node_country: options.nodeCountry ?? 'XF',
    metadata_sig: metadataSignature,
    sp_metadata: file('sp-metadata.xml'),
    idp_metadata: file('idp-metadata.xml'),
    state_file: file('state.json'),
  };
  for (const role of ['signing', 'encryption', 'metadata']) {
    settings[`${role}_key`] = file(`${role}.key.pem`);
    settings[`${role}_cert`] = file(`${role}.cert.pem`);
  }
  const settingsFile = file('settings.json');
  writeFileSync(settingsFile, JSON.stringify(settings));
  const cert = (role: string) => new X509Certificate(readFileSync(file(`${role}.cert.pem`)));
  const run = (args: string[]) => spawnSync(DEBIAN_PYTHON, [SCRIPT, settingsFile, ...args], { encoding: 'utf8', timeout: 60_000 });
  let responses = 0;
  return {
    dir,
    entityId: options.entityId,
    acsUrl: options.acsUrl,
    certs: { signing: cert('signing'), encryption: cert('encryption'), metadata: cert('metadata') },
    files: { metadataCert: file('metadata.cert.pem') },
    setIdpMetadata(xml) {
      writeFileSync(settings.idp_metadata!, xml);
    },
    metadata(validHours = 24) {
      return succeeded(run(['metadata', '--valid-hours', String(validHours)]), 'metadata');
    },
    authnRequest(o = {}) {
      const args = ['authn-request'];
      if (o.loa) args.push('--loa', o.loa);
      if (o.relayState) args.push('--relay-state', o.relayState);
      return JSON.parse(succeeded(run(args), 'authn-request')) as LassoAuthnRequest;
    },
    readResponse(samlResponse, requestId, signatures) {
      const input = file(`response-${++responses}.txt`);
      writeFileSync(input, samlResponse);
      const r = run(['read-response', input, '--request-id', requestId, '--signatures', signatures]);
      const out = r.stdout.trim();
      if (r.status === 0) return { ok: true, reading: JSON.parse(out) as LassoReading };
      return { ok: false, failure: out || r.stderr.trim().split('\n').pop() || `exit ${String(r.status)}` };
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function makeKey(dir: string, role: string, keyArgs: string[], keyUsage: string): void {
  makeTestKey(dir, role, keyArgs, keyUsage, 'Lasso test connector');
}
