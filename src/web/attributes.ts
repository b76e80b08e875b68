/**
 * How the consent page names the eIDAS natural-person attributes (R-ATT-02), in French and
 * English. Keys are the local names of the attribute Name URIs; `attributeLabel` also takes the
 * profile's FriendlyName (FamilyName, FirstName) or the full Name URI.
 */
import type { Lang } from './lang.ts';

export const NATURAL_PERSON_NAME_PREFIX = 'http://eidas.europa.eu/attributes/naturalperson/';

export const ATTRIBUTE_LABELS = {
  PersonIdentifier: { fr: 'Identifiant unique', en: 'Unique identifier' },
  CurrentFamilyName: { fr: 'Nom de famille', en: 'Family name' },
  CurrentGivenName: { fr: 'Prénoms', en: 'Given names' },
  DateOfBirth: { fr: 'Date de naissance', en: 'Date of birth' },
  PlaceOfBirth: { fr: 'Lieu de naissance', en: 'Place of birth' },
  BirthName: { fr: 'Prénoms et nom de naissance', en: 'Full name at birth' },
  Gender: { fr: 'Sexe', en: 'Gender' },
  CurrentAddress: { fr: 'Adresse actuelle', en: 'Current address' },
  Nationality: { fr: 'Nationalité', en: 'Nationality' },
  CountryOfBirth: { fr: 'Pays de naissance', en: 'Country of birth' },
  TownOfBirth: { fr: 'Ville de naissance', en: 'Town of birth' },
  CountryOfResidence: { fr: 'Pays de résidence', en: 'Country of residence' },
  PhoneNumber: { fr: 'Numéro de téléphone', en: 'Phone number' },
  EmailAddress: { fr: 'Adresse électronique', en: 'Email address' },
} as const satisfies Record<string, Readonly<Record<Lang, string>>>;

export type LabelledAttribute = keyof typeof ATTRIBUTE_LABELS;

/** FriendlyNames of the attribute profile that differ from the Name's local part. */
const FRIENDLY_NAME_ALIASES: Readonly<Record<string, LabelledAttribute>> = {
  FamilyName: 'CurrentFamilyName',
  FirstName: 'CurrentGivenName',
};

function isLabelled(key: string): key is LabelledAttribute {
  return Object.hasOwn(ATTRIBUTE_LABELS, key);
}

/** The label of an attribute (local name, FriendlyName or Name URI); undefined when unknown. */
export function attributeLabel(key: string, lang: Lang): string | undefined {
  const local = key.startsWith(NATURAL_PERSON_NAME_PREFIX) ? key.slice(NATURAL_PERSON_NAME_PREFIX.length) : key;
  const canonical = isLabelled(local) ? local : Object.hasOwn(FRIENDLY_NAME_ALIASES, local) ? FRIENDLY_NAME_ALIASES[local] : undefined;
  return canonical === undefined ? undefined : ATTRIBUTE_LABELS[canonical][lang];
}

/** Coded values shown in the citizen's words (the code itself is what the Response carries). */
const VALUE_LABELS: Readonly<Partial<Record<LabelledAttribute, Readonly<Record<string, Readonly<Record<Lang, string>>>>>>> = {
  Gender: {
    Male: { fr: 'Masculin', en: 'Male' },
    Female: { fr: 'Féminin', en: 'Female' },
    Unspecified: { fr: 'Non spécifié', en: 'Unspecified' },
  },
};

/** The value as a citizen reads it: a coded value in words, any other value as it is. */
export function attributeValueLabel(key: string, value: string, lang: Lang): string {
  const local = key.startsWith(NATURAL_PERSON_NAME_PREFIX) ? key.slice(NATURAL_PERSON_NAME_PREFIX.length) : key;
  const labels = isLabelled(local) ? VALUE_LABELS[local] : undefined;
  return labels && Object.hasOwn(labels, value) ? labels[value]![lang] : value;
}
