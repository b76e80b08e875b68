/**
 * The natural-person attributes of the eIDAS attribute profile (R-ATT-02): FriendlyName and
 * Name URI, as a Proxy-Service lists them in its metadata (R-MD-09). Legal-person and
 * representative attributes are not supported yet (DESIGN §2), so they are not offered.
 */
export const NATURAL_PERSON_PREFIX = 'http://eidas.europa.eu/attributes/naturalperson/';
export const ATTRNAME_FORMAT_URI = 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri';

/** FriendlyName → the Name suffix after NATURAL_PERSON_PREFIX (R-ATT-02 table). */
const NATURAL_PERSON = {
  PersonIdentifier: 'PersonIdentifier',
  FamilyName: 'CurrentFamilyName',
  FirstName: 'CurrentGivenName',
  DateOfBirth: 'DateOfBirth',
  BirthName: 'BirthName',
  PlaceOfBirth: 'PlaceOfBirth',
  CurrentAddress: 'CurrentAddress',
  Gender: 'Gender',
  Nationality: 'Nationality',
  CountryOfBirth: 'CountryOfBirth',
  TownOfBirth: 'TownOfBirth',
  CountryOfResidence: 'CountryOfResidence',
  PhoneNumber: 'PhoneNumber',
  EmailAddress: 'EmailAddress',
} as const;

export type NaturalPersonAttribute = keyof typeof NATURAL_PERSON;

/** Every FriendlyName, in the order of the attribute profile's table. */
export const NATURAL_PERSON_ATTRIBUTES = Object.keys(NATURAL_PERSON) as [NaturalPersonAttribute, ...NaturalPersonAttribute[]];

/** The four attributes of the minimum data set a Service MUST support (R-ATT-10). */
export const MANDATORY_NATURAL_PERSON_ATTRIBUTES: readonly NaturalPersonAttribute[] = [
  'PersonIdentifier',
  'FamilyName',
  'FirstName',
  'DateOfBirth',
];

export interface AttributeDefinition {
  friendlyName: NaturalPersonAttribute;
  name: string;
}

export function attributeDefinition(friendlyName: NaturalPersonAttribute): AttributeDefinition {
  return { friendlyName, name: NATURAL_PERSON_PREFIX + NATURAL_PERSON[friendlyName] };
}
