/** `metadata`: what our two signed SAML metadata documents say (R-MD, DESIGN §4). */
import { z } from 'zod';
import { MANDATORY_NATURAL_PERSON_ATTRIBUTES, NATURAL_PERSON_ATTRIBUTES } from '../../metadata/publish/attributes.ts';

export const NOTIFIED_LOAS = [
  'http://eidas.europa.eu/LoA/low',
  'http://eidas.europa.eu/LoA/substantial',
  'http://eidas.europa.eu/LoA/high',
] as const;

/** A route under the public base URL: `/segment/segment`, nothing that could escape it. */
const routePath = (what: string) =>
  z
    .string()
    .regex(/^(\/[A-Za-z0-9._~-]+)+$/, 'expected a path such as /proxy-service/metadata (no query, no trailing slash)')
    .refine((p) => !p.split('/').some((s) => s === '.' || s === '..'), 'no . or .. segments')
    .describe(what);

/** R-MSG-23: the three notified URIs, or a non-notified URI outside http://eidas.europa.eu/LoA/. */
const loa = z
  .url()
  .refine(
    (u) => (NOTIFIED_LOAS as readonly string[]).includes(u) || !u.startsWith('http://eidas.europa.eu/LoA/'),
    'not a notified LoA; non-notified URIs must not start with http://eidas.europa.eu/LoA/ (R-MSG-23)',
  );

const organization = z.strictObject({
  lang: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'expected a language tag such as en or fr').describe('xml:lang of the three names.'),
  name: z.string().min(1).describe('md:OrganizationName.'),
  displayName: z.string().min(1).describe('md:OrganizationDisplayName.'),
  url: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('md:OrganizationURL; when absent, the public base URL followed by a slash.'),
});

const contact = (type: string) =>
  z
    .strictObject({
      company: z.string().min(1).optional().describe('md:Company.'),
      givenName: z.string().min(1).optional().describe('md:GivenName.'),
      surName: z.string().min(1).optional().describe('md:SurName.'),
      email: z.email().describe('md:EmailAddress, published as a mailto: URI (R-MD-06).'),
      telephone: z.string().min(1).optional().describe('md:TelephoneNumber.'),
    })
    .describe(`The ${type} contact (md:ContactPerson contactType="${type}", R-MD-06).`);

const proxyService = z
  .strictObject({
    metadataPath: routePath('Route of the Proxy-Service metadata; its full URL is the entityID (R-MD-02).'),
    ssoPath: routePath('Route of the SingleSignOnService, published for HTTP-POST and HTTP-Redirect.'),
    loas: z
      .array(loa)
      .min(1)
      .describe('Levels of assurance the Proxy-Service delivers: the assurance-certification entity attribute (R-MD-10).'),
    attributes: z
      .array(z.enum(NATURAL_PERSON_ATTRIBUTES))
      .refine((a) => MANDATORY_NATURAL_PERSON_ATTRIBUTES.every((m) => a.includes(m)), 'must include the minimum data set (R-ATT-10)')
      .refine((a) => new Set(a).size === a.length, 'no duplicates')
      .describe('Natural-person attributes (FriendlyName) listed as supported (R-MD-09); the minimum data set is required.'),
  })
  .describe('Proxy-Service (IdP) metadata.');

const connector = z
  .strictObject({
    metadataPath: routePath('Route of the Connector metadata; its full URL is the entityID (R-MD-02).'),
    acsPath: routePath('Route of the AssertionConsumerService (HTTP-POST, the default).'),
    spType: z
      .enum(['public', 'private'])
      .describe('eidas:SPType published in the Connector metadata, hence never in requests (R-MD-12).'),
  })
  .describe('Connector (SP) metadata.');

export const metadataSchema = z
  .strictObject({
    validityHours: z
      .number()
      .int()
      .min(1)
      .max(24)
      .describe(
        'validUntil = signing time + this many hours (R-MD-01: at most 24, re-signed daily, as the EU reference node; ' +
          'a short lifetime is how a node is revoked).',
      ),
    resignMarginMinutes: z
      .number()
      .int()
      .min(1)
      .max(10_079)
      .describe(
        'A served document is signed again once it is this close to its validUntil; cacheDuration and ' +
          'Cache-Control tell consumers to fetch again by then. Must be shorter than the validity.',
      ),
    signingChainFile: z
      .string()
      .min(1)
      .optional()
      .describe(
        'PEM file with the CA certificates from the issuer of the metadata signing certificate up to the ' +
          'trust anchor, added to the signature KeyInfo after the signing certificate (R-MD-14). Unset: the ' +
          'signing certificate alone.',
      ),
    nodeCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, 'two capital letters (EL for Greece, EU for institutions)')
      .describe('eidas:NodeCountry of both role descriptors (R-MD-11).'),
    applicationIdentifier: z
      .string()
      .regex(/^[^\s:]+:[^\s:]+:\d+\.\d+(\.\d+)?$/, 'expected vendor:software:major.minor[.patch]')
      .optional()
      .meta({
        description: 'application-identifier entity attribute (R-MD-08).',
        defaultText: 'FR:PontEidas:<package version>',
      }),
    protocolVersions: z
      .array(z.string().regex(/^\d+\.\d+$/, 'expected a version such as 1.4'))
      .min(1)
      .describe('protocol-version entity attribute values (R-MD-08), most recent first.'),
    organization: z
      .array(organization)
      .min(1)
      .refine((o) => new Set(o.map((x) => x.lang)).size === o.length, 'one entry per language')
      .describe('md:Organization, one entry per language (R-MD-06).'),
    contacts: z
      .strictObject({ support: contact('support'), technical: contact('technical') })
      .describe('md:ContactPerson entries (R-MD-06).'),
    proxyService,
    connector,
  })
  .superRefine((m, ctx) => {
    if (m.resignMarginMinutes >= m.validityHours * 60) {
      ctx.addIssue({ code: 'custom', path: ['resignMarginMinutes'], message: 'must be shorter than validityHours' });
    }
    const paths = [m.proxyService.metadataPath, m.proxyService.ssoPath, m.connector.metadataPath, m.connector.acsPath];
    if (new Set(paths).size !== paths.length) {
      ctx.addIssue({ code: 'custom', path: ['connector', 'metadataPath'], message: 'the four routes must differ' });
    }
  })
  .describe('Our signed SAML metadata: one entity per role, served under the public base URL.');

export type MetadataConfig = z.output<typeof metadataSchema>;
