"""pysaml2 SP configuration of the independent test Connector, from a small JSON settings file.

Settings (JSON object; paths are PEM files):
  entity_id         the Connector's metadata URL (= entityID, eIDAS R-MD-02)
  acs_url           its AssertionConsumerService (HTTP-POST)
  signing_key/cert  EC P-256: AuthnRequests are signed ecdsa-sha256 by xmlsec1
  encryption_key/cert RSA 3072: the node encrypts the assertion to it (AES-GCM + rsa-oaep-mgf1p)
  metadata_key/cert  signs the Connector metadata (the node's trust anchor for this peer)
  node_country      eidas:NodeCountry of the metadata
  idp_metadata      the node's Proxy-Service metadata (optional for `metadata`)
  idp_trust_anchor  certificate that must have signed idp_metadata (checked with xmlsec1)
  state_file        where outstanding request IDs are kept between subcommands
"""
import json

from saml2 import BINDING_HTTP_POST
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_PERSISTENT
from saml2.xmldsig import DIGEST_SHA256, SIG_ECDSA_SHA256

URI_FORMAT = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
NATURAL = "http://eidas.europa.eu/attributes/naturalperson/"

# The natural-person minimum data set, all isRequired (R-MSG-15), plus one optional attribute.
REQUESTED_ATTRIBUTES = [
    {"name": NATURAL + "PersonIdentifier", "friendly_name": "PersonIdentifier", "required": True},
    {"name": NATURAL + "CurrentFamilyName", "friendly_name": "FamilyName", "required": True},
    {"name": NATURAL + "CurrentGivenName", "friendly_name": "FirstName", "required": True},
    {"name": NATURAL + "DateOfBirth", "friendly_name": "DateOfBirth", "required": True},
    {"name": NATURAL + "PlaceOfBirth", "friendly_name": "PlaceOfBirth", "required": False},
]


def load_settings(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def sp_config(settings, with_idp=True):
    """The pysaml2 configuration. Everything the node sends is checked by pysaml2 itself."""
    conf = {
        "entityid": settings["entity_id"],
        "xmlsec_binary": "/usr/bin/xmlsec1",
        "key_file": settings["signing_key"],
        "cert_file": settings["signing_cert"],
        "encryption_keypairs": [
            {"key_file": settings["encryption_key"], "cert_file": settings["encryption_cert"]}
        ],
        "accepted_time_diff": 60,
        "allow_unknown_attributes": True,
        "service": {
            "sp": {
                "name": "pysaml2 test connector",
                "signing_algorithm": SIG_ECDSA_SHA256,
                "digest_algorithm": DIGEST_SHA256,
                "endpoints": {"assertion_consumer_service": [(settings["acs_url"], BINDING_HTTP_POST)]},
                "authn_requests_signed": True,
                "want_response_signed": True,
                "want_assertions_signed": False,
                "allow_unsolicited": False,
                "hide_assertion_consumer_service": True,
                "force_authn": True,
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "name_id_policy_format": NAMEID_FORMAT_PERSISTENT,
                "name_id_format_allow_create": True,
                "sp_type": "public",
                "sp_type_in_metadata": False,
                "requested_attributes": [dict(a, name_format=URI_FORMAT) for a in REQUESTED_ATTRIBUTES],
            }
        },
        "organization": {"name": "Test connector", "display_name": "pysaml2 test connector", "url": settings["entity_id"]},
        "contact_person": [
            {"contact_type": "technical", "email_address": "mailto:technical@connector.invalid"},
            {"contact_type": "support", "email_address": "mailto:support@connector.invalid"},
        ],
    }
    if with_idp and settings.get("idp_metadata"):
        conf["metadata"] = {"local": [settings["idp_metadata"]]}
    config = SPConfig()
    config.load(conf)
    return config
