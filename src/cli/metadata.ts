/**
 * `pont metadata show --role proxy-service|connector`: our signed metadata of a role, built
 * and signed exactly as the node serves it (same configuration, same keys).
 * `pont metadata verify FILE --cert CERT`: checks a metadata document's signature against a
 * trusted certificate, and its validUntil.
 */
import { Option, type Command } from 'commander';
import type { Config } from '../config/schema.ts';
import { configFor } from './config.ts';
import { withDatabase } from './db.ts';
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
      writeOut(await signedMetadata(config, opts.role));
    });

  metadata
    .command('verify')
    .description('verify the signature of a metadata document against a trusted certificate, and its validUntil')
    .argument('<FILE>', 'metadata document (md:EntityDescriptor)')
    .requiredOption('--cert <CERT>', 'trusted metadata signing certificate or trust anchor, PEM or DER (repeat for several)', collect)
    .option('--at <DATE>', 'check validUntil at this ISO 8601 time instead of now')
    .action(async (file: string, opts: { cert: string[]; at?: string }) => verifyMetadataFile(file, opts));
}

/**
 * The document the node serves: the same configuration and the keys of the shared key ring
 * (node_keys: next + active signing and encryption keys, the active metadata key). With PGlite
 * the database can be opened by one process at a time, so run this while the node is stopped.
 */
async function signedMetadata(config: Config, role: (typeof ROLE_CHOICES)[number]): Promise<string> {
  const [{ openKeyRing, KeyLifecycleError }, { createMetadataPublisher, MetadataPublishError }] = await Promise.all([
    import('../metadata/keys/index.ts'),
    import('../metadata/publish/index.ts'),
  ]);
  return withDatabase(config, async (db) => {
    let ring;
    try {
      ring = await openKeyRing({ db, config, refreshIntervalMs: 0 });
      return (await createMetadataPublisher({ keyRing: ring, config }).document(role)).xml;
    } catch (e) {
      if (e instanceof MetadataPublishError || e instanceof KeyLifecycleError) {
        throw new CliError(`metadata: ${e.message} (in development, \`pont serve\` makes the keys at its first start; else \`pont keys generate\`)`, EXIT.STARTUP);
      }
      throw e;
    } finally {
      ring?.close();
    }
  });
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
