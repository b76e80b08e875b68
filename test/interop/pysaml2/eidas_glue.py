"""The small glue Debian's pysaml2 7.0.1 needs to act as an eIDAS Connector.

Measured limits (shared/debian-peers.md):
  * pysaml2 refuses to sign with any algorithm outside SIG_ALLOWED_ALG, which lists RSA only.
    xmlsec1 1.2.37 signs and verifies ECDSA P-256 itself, so extending the allow-list is enough.
  * pysaml2 cannot read an AttributeValue typed xsi:type="eidas-natural:PersonIdentifierType"
    ("Type and value do not match"): every eIDAS natural-person value type is a string type
    (the address is base64 text), so the patch stores those values as text.
  * Before verifying an assertion's signature, pysaml2 validates it against the SAML schema,
    which knows no eIDAS type: the assertion validator gets eidas-natural-values.xsd imported.
Nothing here touches the crypto: every signature, digest and decryption is xmlsec1's.
"""
import os

import saml2.client_base
import saml2.entity
import saml2.pack
import saml2.xml.schema as saml_schema
from saml2 import SamlBase, saml, xmldsig
from xmlschema import XMLSchema

EIDAS_NATURAL_NS = "http://eidas.europa.eu/attributes/naturalperson"
EIDAS_NATURAL_XSD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "eidas-natural-values.xsd")
ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion:Assertion"

ECDSA_SHA256 = ("SIG_ECDSA_SHA256", xmldsig.SIG_ECDSA_SHA256)

# Value types of the eIDAS natural-person attribute schema (eIDAS SAML Attribute Profile 1.2 and 1.4).
EIDAS_NATURAL_VALUE_TYPES = frozenset({
    "PersonIdentifierType", "CurrentFamilyNameType", "CurrentGivenNameType", "DateOfBirthType",
    "BirthNameType", "PlaceOfBirthType", "CurrentAddressType", "GenderType", "NationalityType",
    "CountryOfBirthType", "TownOfBirthType", "CountryOfResidenceType", "PhoneNumberType",
    "EmailAddressType",
})

_applied = False


def allow_ecdsa_signing():
    """Adds ecdsa-sha256 to the allow-list in every module that copied it at import time."""
    extended = tuple(xmldsig.SIG_ALLOWED_ALG)
    if ECDSA_SHA256 not in extended:
        extended += (ECDSA_SHA256,)
    for module in (xmldsig, saml2.entity, saml2.pack, saml2.client_base):
        module.SIG_ALLOWED_ALG = extended


def accept_eidas_value_types():
    """AttributeValue with an eIDAS natural-person xsi:type keeps its text as a string."""
    original = saml.AttributeValueBase.set_text

    def set_text(self, value, base64encode=False):
        typ = self.get_type() or ""
        prefix, _, local = typ.rpartition(":")
        if not base64encode and local in EIDAS_NATURAL_VALUE_TYPES:
            if prefix:
                # pysaml2 re-serialises the element for schema validation and would drop the
                # declaration the xsi:type value needs; the local name says which namespace it is.
                self.extension_attributes["xmlns:" + prefix] = EIDAS_NATURAL_NS
            if isinstance(value, bytes):
                value = value.decode("utf-8")
            if not isinstance(value, str):
                raise ValueError("eIDAS attribute values are text")
            SamlBase.__setattr__(self, "text", value)
            return self
        return original(self, value, base64encode)

    saml.AttributeValueBase.set_text = set_text


def validate_eidas_value_types():
    """The assertion schema pysaml2 validates with, plus the eIDAS natural-person value types."""
    validator = XMLSchema(saml_schema._path_schema_saml_assertion, validation="strict",
                          locations=saml_schema._locations, allow="local", use_fallback=False, build=False)
    validator.import_schema(EIDAS_NATURAL_NS, EIDAS_NATURAL_XSD)
    validator.build()
    saml_schema.node_to_schema[ASSERTION] = validator


def apply():
    global _applied
    if not _applied:
        allow_ecdsa_signing()
        accept_eidas_value_types()
        _applied = True
