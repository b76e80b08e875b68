/**
 * The eIDAS attribute profile as the IdP front needs it (R-ATT-01/02/07/08): which requested
 * Name is a natural-person attribute we know (FriendlyName, xsi:type), which one is legal-person
 * or representative, and which is unknown. Names and FriendlyNames come from the list the
 * metadata publisher uses, so what we publish and what we accept cannot drift apart.
 */
import {
  NATURAL_PERSON_ATTRIBUTES,
  NATURAL_PERSON_PREFIX,
  attributeDefinition,
} from '../../metadata/publish/attributes.ts';

export const LEGAL_PERSON_PREFIX = 'http://eidas.europa.eu/attributes/legalperson/';
const REPRESENTATIVE = /^http:\/\/eidas\.europa\.eu\/attributes\/(naturalperson|legalperson)\/representative\//;

export interface NaturalAttribute {
  friendlyName: string;
  name: string;
  /** Local name of the xsi:type in the natural-person namespace (the reference node's types). */
  xsiType: string;
  /** Several AttributeValue elements allowed (R-ATT-02: Nationality). */
  multiValued: boolean;
}

const BY_NAME: ReadonlyMap<string, NaturalAttribute> = new Map(
  NATURAL_PERSON_ATTRIBUTES.map((friendlyName) => {
    const { name } = attributeDefinition(friendlyName);
    const suffix = name.slice(NATURAL_PERSON_PREFIX.length);
    return [name, { friendlyName, name, xsiType: `${suffix}Type`, multiValued: friendlyName === 'Nationality' }];
  }),
);

const BY_FRIENDLY: ReadonlyMap<string, NaturalAttribute> = new Map([...BY_NAME.values()].map((a) => [a.friendlyName, a]));

export type AttributeKind = 'natural' | 'natural-unknown' | 'legal' | 'representative' | 'other';

export function attributeKind(name: string): AttributeKind {
  if (REPRESENTATIVE.test(name)) return 'representative';
  if (BY_NAME.has(name)) return 'natural';
  if (name.startsWith(NATURAL_PERSON_PREFIX)) return 'natural-unknown';
  if (name.startsWith(LEGAL_PERSON_PREFIX)) return 'legal';
  return 'other';
}

/** The natural-person attribute by Name URI or by FriendlyName. */
export function naturalAttribute(nameOrFriendlyName: string): NaturalAttribute | undefined {
  return BY_NAME.get(nameOrFriendlyName) ?? BY_FRIENDLY.get(nameOrFriendlyName);
}
