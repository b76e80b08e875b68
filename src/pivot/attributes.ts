/**
 * Attribute names: which table row a received Name URI is (R-ATT-01/02/07/08). Shared by both
 * directions. Every name under the legal-person or representative namespaces (R-ATT-07/08,
 * LEGAL_PERSON_KEYS) is recognised so that it can be refused precisely; names in no table are
 * unknown and, where optional, ignored (R-MSG-17).
 */
import {
  LEGAL_PERSON_PREFIX,
  NATURAL_ATTRIBUTES,
  REPRESENTATIVE_PREFIXES,
  type AttributeDef,
  type NaturalAttributeKey,
} from './tables.ts';

export type AttributeKind =
  | { readonly kind: 'natural'; readonly def: AttributeDef }
  | { readonly kind: 'legal' }
  | { readonly kind: 'representative' }
  | { readonly kind: 'unknown' };

const BY_NAME = new Map(NATURAL_ATTRIBUTES.map((def) => [def.name, def]));

export function classifyAttribute(name: string): AttributeKind {
  const def = BY_NAME.get(name);
  if (def) return { kind: 'natural', def };
  if (REPRESENTATIVE_PREFIXES.some((prefix) => name.startsWith(prefix))) return { kind: 'representative' };
  if (name.startsWith(LEGAL_PERSON_PREFIX)) return { kind: 'legal' };
  return { kind: 'unknown' };
}

export function attributeDef(key: NaturalAttributeKey): AttributeDef {
  return NATURAL_ATTRIBUTES.find((def) => def.key === key)!;
}

/** A short, loggable label for an attribute Name (the URI's last segment), never a value. */
export function attributeLabel(name: string): string {
  const last = name.slice(name.lastIndexOf('/') + 1);
  return /^[A-Za-z0-9-]{1,64}$/.test(last) ? last : 'attribute';
}
