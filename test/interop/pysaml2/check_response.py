"""Validation of the node's eIDAS Response by pysaml2 (and xmlsec1 under it).

pysaml2 does the work: Response signature with the key of the node's metadata
(want_response_signed), decryption of the EncryptedAssertion with our encryption key (xmlsec1:
AES-GCM, rsa-oaep-mgf1p), assertion signature when present, InResponseTo against the outstanding
requests, Destination against our ACS, IssueInstant, Conditions (time window, Audience = our
entityID), SubjectConfirmation. pysaml2 skips a few checks when a value is absent or silently
answers None; those are made strict here, on pysaml2's own parsed objects.
"""
import base64

from lxml import etree
from saml2 import BINDING_HTTP_POST
from saml2.response import StatusError, StatusResponse

NOTIFIED = ["http://eidas.europa.eu/LoA/low", "http://eidas.europa.eu/LoA/substantial", "http://eidas.europa.eu/LoA/high"]
BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"


class Refused(Exception):
    """The Response is not acceptable; the message says why."""


def as_base64(raw):
    text = raw.strip()
    if text.startswith(b"<"):
        return base64.b64encode(text).decode("ascii")
    return text.decode("ascii")


def status_of(status):
    top = status.status_code
    return {
        "status": top.value,
        "sub_status": top.status_code.value if top.status_code is not None else None,
        "message": status.status_message.text if status.status_message is not None else None,
    }


def parse(client, raw, outstanding):
    """pysaml2's verdict. A signed error Response comes back as {'status': …} (exit code 2)."""
    seen = {}
    original = StatusResponse.status_ok

    def recording_status_ok(self):
        seen["status"] = self.response.status
        return original(self)

    StatusResponse.status_ok = recording_status_ok
    try:
        resp = client.parse_authn_request_response(as_base64(raw), BINDING_HTTP_POST, outstanding)
    except StatusError as err:
        if "status" not in seen:
            raise Refused("status error before verification: %s" % err)
        return None, status_of(seen["status"])
    finally:
        StatusResponse.status_ok = original
    if resp is None:
        raise Refused("pysaml2 did not accept the Response (Destination, InResponseTo or IssueInstant)")
    return resp, None


def strict_checks(resp, settings, request):
    """What pysaml2 lets pass when absent: each must be present and right (R-RSP-05, 11, 12, 15)."""
    response = resp.response
    if response.destination != settings["acs_url"]:
        raise Refused("Destination %r is not our ACS" % response.destination)
    if response.in_response_to not in (request["id"],):
        raise Refused("InResponseTo %r is not the outstanding request" % response.in_response_to)
    if len(resp.assertions) != 1:  # pysaml2 keeps the decrypted ones here
        raise Refused("exactly one assertion expected (R-RSP-04)")
    assertion = resp.assertion
    conditions = assertion.conditions
    if conditions is None or not conditions.not_on_or_after or not conditions.audience_restriction:
        raise Refused("Conditions with NotOnOrAfter and an AudienceRestriction expected (R-RSP-12)")
    confirmations = assertion.subject.subject_confirmation
    if len(confirmations) != 1 or confirmations[0].method != BEARER:
        raise Refused("one bearer SubjectConfirmation expected (R-RSP-11)")
    data = confirmations[0].subject_confirmation_data
    if data.in_response_to != request["id"] or data.recipient != settings["acs_url"]:
        raise Refused("SubjectConfirmationData InResponseTo/Recipient mismatch (R-RSP-11)")
    loa = loa_reached(resp)
    if NOTIFIED.index(loa) < NOTIFIED.index(request["loa"]):
        raise Refused("LoA %s is below the requested minimum %s (R-RSP-15)" % (loa, request["loa"]))
    return loa


def loa_reached(resp):
    statements = resp.assertion.authn_statement
    if len(statements) != 1:
        raise Refused("exactly one AuthnStatement expected (R-RSP-04)")
    ref = statements[0].authn_context.authn_context_class_ref
    loa = ref.text.strip() if ref is not None and ref.text else ""
    if loa not in NOTIFIED:
        raise Refused("AuthnContextClassRef %r is not a notified LoA" % loa)
    return loa


def attributes(assertion):
    out = {}
    for statement in assertion.attribute_statement:
        for attr in statement.attribute:
            key = attr.friendly_name or attr.name
            out[key] = [(v.text or "") for v in attr.attribute_value]
    return out


def only_encrypted_assertions(raw):
    """Shape of what arrived, before pysaml2 decrypts it: no plain Assertion (R-RSP-02)."""
    xml = base64.b64decode(as_base64(raw))
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    if root.findall("{%s}Assertion" % SAML) or len(root.findall("{%s}EncryptedAssertion" % SAML)) > 1:
        raise Refused("the assertion must travel encrypted, once (R-RSP-02)")


def check(client, settings, raw, request):
    """Returns (exit code, report). 0: valid success; 2: valid signed error Response."""
    only_encrypted_assertions(raw)
    resp, error = parse(client, raw, {request["id"]: "/"})
    if error is not None:
        return 2, dict(error, in_response_to=request["id"])
    loa = strict_checks(resp, settings, request)
    name_id = resp.assertion.subject.name_id
    return 0, {
        "status": "urn:oasis:names:tc:SAML:2.0:status:Success",
        "issuer": resp.response.issuer.text.strip(),
        "in_response_to": resp.response.in_response_to,
        "destination": resp.response.destination,
        "audience": [a.text.strip() for r in resp.assertion.conditions.audience_restriction for a in r.audience],
        "name_id": {"format": name_id.format, "value": name_id.text},
        "loa": loa,
        "attributes": attributes(resp.assertion),
        "assertion_signed": resp.assertion.signature is not None,
    }
