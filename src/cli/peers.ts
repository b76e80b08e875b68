/**
 * `pont peers add|list|refresh|remove`: the peer registry (docs/peers.md). Commands that
 * change state take --dry-run (the same checks, nothing written). Refusals and mistakes end
 * as one line through errors.ts: a refused metadata document is exit 1 with its reason code.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Config } from '../config/schema.ts';
import type { MetadataTransport } from '../metadata/peers/fetch.ts';
import type { Clock } from '../storage/clock.ts';
import type { Database } from '../storage/database.ts';
import { configFor } from './config.ts';
import { withDatabase } from './db.ts';
import { CliError, EXIT } from './errors.ts';
import { readCertificate, writeOut } from './io.ts';
import { collect } from './options.ts';
import { describeAdded, describeRefresh, describeStatus } from './peers-format.ts';

const ROLE_CHOICES = ['proxy-service', 'connector'] as const;

/** What tests replace: the network, the clock and the database opener. */
export interface PeersCliDeps {
  transport?: MetadataTransport;
  clock?: Clock;
  withDatabase?: <T>(config: Config, fn: (db: Database) => Promise<T>) => Promise<T>;
}

interface AddOptions {
  country: string;
  role: (typeof ROLE_CHOICES)[number];
  metadataUrl: string;
  trustAnchor: string[];
  dryRun?: boolean;
}

export function registerPeersCommands(program: Command, deps: PeersCliDeps = {}): void {
  const peers = program.command('peers').description('peer registry: foreign nodes and their signed metadata (docs/peers.md)');
  const run = (command: Command, fn: (ctx: Context) => Promise<void>) => inContext(command, deps, fn);

  peers
    .command('add')
    .description("add a peer: its metadata is fetched and must verify with the trust anchor(s) before anything is written")
    .requiredOption('--country <XX>', 'country code of the peer (its eidas:NodeCountry)', countryCode)
    .addOption(new Option('--role <ROLE>', 'what the peer is for us').choices(ROLE_CHOICES).makeOptionMandatory())
    .requiredOption('--metadata-url <URL>', 'its metadata URL, which is also its entityID (https in production)', metadataUrl)
    .requiredOption('--trust-anchor <CERT>', 'certificate (PEM or DER) that signs its metadata or roots its chain; repeatable', collect)
    .option('--dry-run', 'fetch and verify only; write nothing')
    .action((opts: AddOptions, command: Command) =>
      run(command, async ({ peers: api, adminDeps }) => {
        const trustAnchors = opts.trustAnchor.map((file) => anchorFrom(file, api));
        const request = { country: opts.country, role: opts.role, metadataUrl: opts.metadataUrl, trustAnchors, dryRun: opts.dryRun === true };
        writeOut(describeAdded(await api.addPeer(request, adminDeps), opts.dryRun === true));
      }),
    );

  peers
    .command('list')
    .description('every peer with its state, last fetch, validUntil, key expiry, last error and warnings')
    .option('--json', 'print JSON instead of text')
    .action((opts: { json?: boolean }, command: Command) =>
      run(command, async ({ open, peers: api }) => {
        const statuses = (await open(false)).status();
        writeOut(opts.json ? JSON.stringify(statuses.map(api.statusJson), null, 2) : describeStatus(statuses));
      }),
    );

  peers
    .command('refresh')
    .description('fetch and verify the metadata of every peer, or of one; a refused copy leaves the previous one in service')
    .argument('[ENTITYID]', 'only this peer')
    .option('--dry-run', 'fetch and verify only; store nothing')
    .action((entityId: string | undefined, opts: { dryRun?: boolean }, command: Command) =>
      run(command, async ({ open }) => {
        const registry = await open(opts.dryRun === true);
        const results = await registry.refresh(entityId);
        if (entityId !== undefined && results[0]?.reason === 'UNKNOWN_PEER') throw new CliError(`${entityId}: not a registered peer`, EXIT.INPUT);
        writeOut(describeRefresh(results, opts.dryRun === true));
        const refused = results.filter((r) => r.outcome === 'refused').length;
        if (refused > 0) throw new CliError(`${refused} of ${results.length} peers refused (see above)`, EXIT.REFUSED);
      }),
    );

  peers
    .command('remove')
    .description('remove a peer added with pont peers add (its stored versions stay as history)')
    .argument('<ENTITYID>', 'the peer\'s entityID (its metadata URL)')
    .option('--dry-run', 'only say what would be removed')
    .action((entityId: string, opts: { dryRun?: boolean }, command: Command) =>
      run(command, async ({ peers: api, adminDeps }) => {
        const removed = await api.removePeer(entityId, adminDeps, opts.dryRun === true);
        writeOut(`${opts.dryRun ? 'would remove' : 'removed'} ${entityId} (${removed.country} ${removed.role})`);
      }),
    );
}

type PeersApi = typeof import('../metadata/peers/index.ts');

interface Context {
  peers: PeersApi;
  adminDeps: import('../metadata/peers/index.ts').AdminDeps;
  open(dryRun: boolean): Promise<import('../metadata/peers/index.ts').OpenedPeerRegistry>;
}

/** Config, database, audit log and a silent logger (results are printed); errors mapped to one line. */
async function inContext(command: Command, deps: PeersCliDeps, fn: (ctx: Context) => Promise<void>): Promise<void> {
  const config = configFor(command);
  const [api, { createAuditLog }, { createLogger }, { assertMigrated }] = await Promise.all([
    import('../metadata/peers/index.ts'),
    import('../audit/index.ts'),
    import('../util/logger.ts'),
    import('../storage/index.ts'),
  ]);
  const logger = createLogger({ level: 'silent' });
  const open = deps.withDatabase ?? withDatabase;
  await open(config, async (db) => {
    await assertMigrated(db);
    const audit = createAuditLog(db, deps.clock);
    const adminDeps = { db, config, audit, logger, ...(deps.transport && { transport: deps.transport }), ...(deps.clock && { clock: deps.clock }) };
    const registry = (dryRun: boolean) => api.openPeerRegistry({ ...adminDeps, dryRun });
    try {
      await fn({ peers: api, adminDeps, open: registry });
    } catch (err) {
      if (err instanceof api.MetadataRefusal) throw new CliError(`refused: ${err.reason}: ${err.detail}`, EXIT.REFUSED);
      if (err instanceof api.PeerAdminError) throw new CliError(err.message, EXIT.INPUT);
      throw err;
    }
  });
}

function anchorFrom(file: string, api: PeersApi) {
  const cert = readCertificate(file);
  try {
    return api.checkedCertificateFrom(cert.raw);
  } catch (err) {
    if (err instanceof Error && 'reason' in err) throw new CliError(`${file}: ${err.message}`, EXIT.INPUT);
    throw err;
  }
}

function countryCode(value: string): string {
  if (!/^[A-Z]{2}$/.test(value)) throw new InvalidArgumentError('expected two capital letters, e.g. DE (EL for Greece, EU for institutions)');
  return value;
}

function metadataUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidArgumentError('expected an http(s) URL');
  if (url.hash || url.username || url.password) throw new InvalidArgumentError('no fragment or credentials in a metadata URL');
  return value;
}
