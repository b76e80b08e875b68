/** `peers`: the foreign eIDAS nodes we trust, and how their metadata is fetched (R-MD-14..17, ATK-47). */
import { z } from 'zod';
import { METADATA_LIMITS } from '../../saml/parser.ts';

const peer = z.strictObject({
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'two capital letters (EL for Greece, EU for institutions)')
    .describe('Country of the peer; its eidas:NodeCountry, when present, must be this one.'),
  role: z
    .enum(['connector', 'proxy-service'])
    .describe('`proxy-service`: a foreign IdP our connector sends citizens to; `connector`: a foreign SP our proxy service answers.'),
  metadataUrl: z
    .url({ protocol: /^https?$/ })
    .refine((u) => !/[#]/.test(u), 'no fragment allowed')
    .describe(
      "The peer's metadata URL, exchanged bilaterally; it is also its entityID (R-MD-02). Only this URL is " +
        'fetched for the peer. Must be https in production.',
    ),
  trustAnchors: z
    .array(z.string().min(1))
    .min(1)
    .describe(
      "Certificate files (PEM or DER) of the peer's trust anchors: the metadata signature must verify with one of " +
        'them, or with a certificate of the signature KeyInfo chained up to one of them (R-MD-16).',
    ),
});

const fetchSettings = z
  .strictObject({
    connectTimeoutMs: z.number().int().min(100).max(60_000).describe('Time allowed to connect (TCP and TLS) to a peer.'),
    timeoutMs: z.number().int().min(100).max(300_000).describe('Time allowed for the whole fetch, redirects and body included.'),
    maxBytes: z
      .number()
      .int()
      .min(1024)
      .max(METADATA_LIMITS.maxBytes)
      .describe('Size cap of a metadata document; the download is aborted as soon as it is passed.'),
    allowedHosts: z
      .array(z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/, 'a host or host:port, lower case'))
      .describe(
        'Hosts (host or host:port) a redirect may lead to, besides the hosts of the metadata URLs themselves. ' +
          'At most 3 redirects are followed.',
      ),
  })
  .describe('Fetching metadata.');

export const peersSchema = z
  .strictObject({
    list: z.array(peer).describe('Peers defined by configuration (more can be added with `pont peers add`).'),
    fetch: fetchSettings,
    refreshIntervalMinutes: z
      .number()
      .int()
      .min(1)
      .max(1440)
      .describe('How often every peer\'s metadata is fetched again; a failed refresh keeps the last good copy until its validUntil.'),
    syncIntervalSeconds: z
      .number()
      .int()
      .min(1)
      .max(3600)
      .describe(
        'How often each instance reads the peer registry from the shared database: peers added or removed with ' +
          '`pont peers` appear or disappear, and a newer metadata version stored by another instance is verified again and served.',
      ),
    unknownKeyRefreshSeconds: z
      .number()
      .int()
      .min(1)
      .max(3600)
      .describe('A message signed by a key we do not know triggers a refresh of that peer at most once per this many seconds.'),
    expiryWarningDays: z
      .number()
      .int()
      .min(0)
      .max(365)
      .describe('Certificates (peers\' keys and trust anchors) expiring within this many days are reported in /readyz and `pont peers list`.'),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.list.forEach((entry, i) => {
      if (seen.has(entry.metadataUrl)) {
        ctx.addIssue({ code: 'custom', path: ['list', i, 'metadataUrl'], message: `duplicate peer ${entry.metadataUrl}` });
      }
      seen.add(entry.metadataUrl);
    });
  })
  .describe('Peer registry: foreign nodes and their signed metadata.');

export type PeersConfig = z.output<typeof peersSchema>;
