/**
 * What the SAML IdP front needs from the rest of the node (written as the subset of the
 * contracts it calls, so the real PeerRegistry, KeyRing and ReplayStore fit as they are),
 * its settings, and what it hands to the flow: the ValidatedRequest.
 */
import type { KeyObject, X509Certificate } from 'node:crypto';
import type { PeerVerifyPolicy } from '../../config/crypto-policy.ts';
import type { Clock } from '../../storage/clock.ts';
import type { Logger } from '../../util/logger.ts';

/** The fields of a PeerDescriptor (CONTRACT-3, src/metadata/peers) this front reads. */
export interface ConnectorPeer {
  entityId: string;
  role: 'connector' | 'proxy-service';
  country: string;
  encryptionCertificates: X509Certificate[];
  encryptionMethods: string[];
  signingMethods: string[];
  digestMethods: string[];
  assertionConsumerServices: { binding: string; location: string; index?: number; isDefault?: boolean }[];
  spType?: string;
}

/** The PeerRegistry calls of this front (CONTRACT-3). */
export interface PeerSource {
  /** Verified and still valid only. */
  get(entityId: string): ConnectorPeer | undefined;
  /** Keys to verify a message of this peer; `unknownKey` refreshes that peer once first. */
  signingKeys(entityId: string, options?: { unknownKey?: boolean }): Promise<KeyObject[]>;
}

/** The KeyRing call of this front (CONTRACT-3): our active message-signing key. */
export interface SigningKeySource {
  active(use: 'signing'): { privateKey?: KeyObject; certificate: X509Certificate };
}

/** ReplayStore.markSeen (src/storage): true the first time, false for a replay. */
export interface ReplayGuard {
  markSeen(issuer: string, messageId: string, expiresAt: Date): Promise<boolean>;
}

export interface SamlIdpDeps {
  peers: PeerSource;
  keys: SigningKeySource;
  replay: ReplayGuard;
  clock: Clock;
  logger?: Logger;
}

export interface SamlIdpSettings {
  /** Our Proxy-Service entityID (its metadata URL): Issuer of every Response and Assertion. */
  entityId: string;
  /** The absolute SSO URL a request's Destination must equal (R-MSG-04). */
  ssoUrl: string;
  /** Route of the SSO endpoint (POST and GET), e.g. /proxy-service/sso. */
  ssoPath: string;
  /** Our eidas:NodeCountry: the first part of every PersonIdentifier we send. */
  nodeCountry: string;
  /** Levels of assurance we deliver (notified URIs, or non-notified ones configured for us). */
  loas: readonly string[];
  /** Natural-person attributes (FriendlyName) we provide. */
  attributes: readonly string[];
  /** Per-peer signature policy: verifyPolicyFor(config, entityId) from src/config. */
  verifyPolicy(entityId: string): PeerVerifyPolicy;
  /** A request's IssueInstant may be at most this old (seconds). Default 300. */
  requestMaxAgeSeconds?: number;
  /** Clock skew tolerated on IssueInstant (seconds). Default 60. */
  clockSkewSeconds?: number;
  /** NotOnOrAfter of our assertions = issue time + this (seconds). Default 300 (R-RSP-13). */
  assertionValiditySeconds?: number;
  /** Refuse requests of private SPs without RequesterID (R-MD-13 flag published). Default false. */
  requireRequesterIdForPrivate?: boolean;
}

export type Binding = 'HTTP-POST' | 'HTTP-Redirect' | 'HTTP-GET-enveloped';

/** Where an answer to an authenticated request may go: the ACS from the connector metadata. */
export interface ReplyTarget {
  peerEntityId: string;
  acsUrl: string;
  requestId: string;
  relayState?: string;
}

export interface RequestedAttribute {
  /** Attribute Name URI. */
  name: string;
  friendlyName: string;
  isRequired: boolean;
}

export interface RequestedLoa {
  comparison: 'minimum' | 'exact';
  /** The AuthnContextClassRef URIs of the request, in its order. */
  requested: string[];
  /** The levels we can deliver that satisfy the request, lowest first (our configured order). */
  acceptable: string[];
}

/** A request that passed every check; plain JSON, so the flow can store it in its state. */
export interface ValidatedRequest extends ReplyTarget {
  binding: Binding;
  country: string;
  issueInstant: string;
  loa: RequestedLoa;
  attributes: RequestedAttribute[];
  spType: 'public' | 'private';
  nameIdFormat: string;
  providerName?: string;
  requesterId?: string;
}

export interface SamlStatus {
  /** Top-level StatusCode URI. */
  top: string;
  /** Second-level StatusCode URI. */
  second?: string;
  /** StatusMessage (plain text, short). */
  message?: string;
}
