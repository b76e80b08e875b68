#!/usr/bin/python3
"""Loads SAML metadata files with Debian's pysaml2 (saml2.mdstore.MetadataStore, validity
checked against the real clock) and prints, as JSON, what pysaml2 understood of each entity:

  pysaml2_metadata.py FILE...

{"loaded": [entityID...], "too_old": {...}, "entities": {entityID: {
   "idp_sso": {binding: [location...]}, "sp_acs": {binding: [location...]},
   "signing_certs": {"idpsso"|"spsso": [base64 DER...]}, "encryption_certs": {...},
   "entity_attributes": {...}, "assurance_certifications": [...],
   "algorithms": {...}, "idp_attributes": [{"name", "friendly_name", "name_format"}...],
   "name_id_formats": {"idpsso"|"spsso": [...]}}}}
"""
import json
import sys

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.attribute_converter import ac_factory
from saml2.config import Config
from saml2.mdstore import MetadataStore
from saml2.s_utils import UnsupportedBinding

BINDINGS = [BINDING_HTTP_POST, BINDING_HTTP_REDIRECT]


def locations(lookup, entity_id, binding):
    """The locations pysaml2 finds for a binding; none when it says the binding is unsupported."""
    try:
        services = lookup(entity_id, binding)
    except UnsupportedBinding:
        return []
    return [s["location"] for s in services or []]


def describe(mds, entity_id):
    entity = mds[entity_id]
    out = {
        "idp_sso": {}, "sp_acs": {}, "signing_certs": {}, "encryption_certs": {}, "name_id_formats": {},
        "entity_attributes": mds.entity_attributes(entity_id),
        "assurance_certifications": list(mds.assurance_certifications(entity_id)),
        "algorithms": mds.supported_algorithms(entity_id),
        "idp_attributes": [],
    }
    for typ in ("idpsso", "spsso"):
        if "%s_descriptor" % typ not in entity:
            continue
        out["signing_certs"][typ] = mds.certs(entity_id, typ, "signing")
        out["encryption_certs"][typ] = mds.certs(entity_id, typ, "encryption")
        descriptor = entity["%s_descriptor" % typ][0]
        out["name_id_formats"][typ] = [f["text"] for f in descriptor.get("name_id_format", [])]
    if "idpsso_descriptor" in entity:
        for binding in BINDINGS:
            out["idp_sso"][binding] = locations(mds.single_sign_on_service, entity_id, binding)
        out["idp_attributes"] = [
            {"name": a.get("name"), "friendly_name": a.get("friendly_name"), "name_format": a.get("name_format")}
            for a in entity["idpsso_descriptor"][0].get("attribute", [])
        ]
    if "spsso_descriptor" in entity:
        for binding in BINDINGS:
            out["sp_acs"][binding] = locations(mds.assertion_consumer_service, entity_id, binding)
    return out


def main(files):
    mds = MetadataStore(ac_factory(), Config(), check_validity=True)
    for name in files:
        mds.load("local", name)
    loaded = list(mds.keys())
    result = {
        "loaded": loaded,
        "too_old": {str(k): list(md.to_old) for k, md in mds.metadata.items() if getattr(md, "to_old", None)},
        "entities": {entity_id: describe(mds, entity_id) for entity_id in loaded},
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
