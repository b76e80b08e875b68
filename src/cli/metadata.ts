/**
 * `pont metadata show --role proxy-service|connector`: our signed metadata of a role, built
 * and signed exactly as the node serves it (same configuration, same keys).
 * `pont metadata verify FILE --cert CERT`: checks a metadata document's signature against a
 * trusted certificate, and its validUntil.
 */
import { Option, type Command } from 'commander';
import type { Config } from '../config/schema.ts';
import type { MetadataKeySource } from '../metadata/publish/index.ts';
import { configFor } from './config.ts';
import { CliError, EXIT } from './errors.ts';
import { readCertificate, readInput, writeOut } from './io.ts';
import { collect } from './options.ts';

const ROLE_CHOICES = ['proxy-service', 'connector'] as const;

export function registerMetadataCommands(program: Command): void {
  const metadata = program.command('metadata').description('our signed SAML metadata');

  metadata
    .command('show')
    .description('print our signed metadata of a role, as the node serves it at its entityID')
    .addOption(new Option('--role <ROLE>', 'which entity').choices(ROLE_CHOICES).makeOptionMandatory())
    .action(async (opts: { role: (typeof ROLE_CHOICES)[number] }, command: Command) => {
      const config = configFor(command);
      const { createMetadataPublisher, MetadataPublishError } = await import('../metadata/publish/index.ts');
      try {
        const publisher = createMetadataPublisher({ keyRing: await metadataKeys(config), config });
        writeOut((await publisher.document(opts.role)).xml);
      } catch (e) {
        if (e instanceof MetadataPublishError) throw new CliError(`metadata: ${e.message}`, EXIT.STARTUP);
        throw e;
      }
    });

  metadata
    .command('verify')
    .description('verify the signature of a metadata document against a trusted certificate, and its validUntil')
    .argument('<FILE>', 'metadata document (md:EntityDescriptor)')
    .requiredOption('--cert <CERT>', 'trusted metadata signing certificate or trust anchor, PEM or DER (repeat for several)', collect)
    .option('--at <DATE>', 'check validUntil at this ISO 8601 time instead of now')
    .action(async (file: string, opts: { cert: string[]; at?: string }) => verifyMetadataFile(file, opts));
}

/** The keys the node signs and publishes with: the key files under keys.dir, never generated here. */
async function metadataKeys(config: Config): Promise<MetadataKeySource> {
  const [{ resolve }, { loadKeySet }, { KeyStoreError }, { keySourceFromKeySet }] = await Promise.all([
    import('node:path'),
    import('../keys/keyset.ts'),
    import('../keys/errors.ts'),
    import('../metadata/publish/index.ts'),
  ]);
  try {
    return keySourceFromKeySet(loadKeySet(resolve(config.keys.dir), { minRsaBits: config.crypto.minRsaBits }).keys);
  } catch (e) {
    if (e instanceof KeyStoreError && e.code === 'MISSING') {
      throw new KeyStoreError('MISSING', `${e.message}; in development, \`pont serve\` generates them at its first start`);
    }
    throw e;
  }
}

async function verifyMetadataFile(file: string, opts: { cert: string[]; at?: string }): Promise<void> {
  const at = opts.at === undefined ? new Date() : new Date(opts.at);
  if (Number.isNaN(at.getTime())) throw new CliError(`--at: not a date: ${opts.at}`, EXIT.USAGE);
  const trusted = opts.cert.map((c) => readCertificate(c));
  const bytes = readInput(file, 'metadata');
  const { verifyXml, METADATA_LIMITS, isElement, NS } = await import('../saml/index.ts');
  const verified = await verifyXml(bytes, { trusted, limits: METADATA_LIMITS, allowWholeDocumentReference: true });
  const root = verified.element;
  if (!isElement(root, NS.md, 'EntityDescriptor')) throw new CliError(`${file}: the signed root is not an md:EntityDescriptor`, EXIT.INPUT);
  const entityId = root.getAttribute('entityID') ?? '';
  const validUntil = new Date(root.getAttribute('validUntil') ?? '');
  if (Number.isNaN(validUntil.getTime())) throw new CliError(`${file}: no valid validUntil (R-MD-01)`, EXIT.REFUSED);
  if (validUntil <= at) {
    throw new CliError(`${file}: expired: validUntil ${validUntil.toISOString()} is not after ${at.toISOString()}`, EXIT.REFUSED);
  }
  writeOut(`OK ${entityId}: signature ${verified.signatureAlgorithm} verified, valid until ${validUntil.toISOString()}`);
}
