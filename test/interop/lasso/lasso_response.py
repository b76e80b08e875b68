"""What Lasso 2.8.1 makes of the node's eIDAS Response.

Lasso resumes the pending login (so it checks the assertion's InResponseTo itself), processes
the SAMLResponse (Issuer looked up among its providers, status, decryption of the
EncryptedAssertion with the SP encryption key: AES-GCM + rsa-oaep-mgf1p through libxmlsec1)
and parses the assertion: NameID, AuthnContextClassRef, Audience, attributes with their
eIDAS-typed values.

Signatures: Lasso verifies only RSA PKCS#1 v1.5, and this node signs with RSA-PSS or ECDSA.
  - "force": the Response as sent, PROFILE_SIGNATURE_VERIFY_HINT_FORCE; expected to fail.
  - "ignore": PROFILE_SIGNATURE_VERIFY_HINT_IGNORE. Measured: Lasso 2.8.1 still verifies a
    signature that is present on the Response and fails (-111) when it cannot, whatever the
    hint; only an absent one is ignored. So the Response's own enveloped ds:Signature (the
    one direct child of the root) is removed first, and the output says so. The assertion's
    signature, inside the EncryptedAssertion, is left as sent (Lasso skips it under IGNORE).
"""
import base64

import lasso
from lxml import etree

VERIFY_HINTS = {
    "ignore": lasso.PROFILE_SIGNATURE_VERIFY_HINT_IGNORE,
    "force": lasso.PROFILE_SIGNATURE_VERIFY_HINT_FORCE,
}
# Lasso's verdict on the Conditions (time window, AudienceRestriction = our entityID).
CONDITIONS = {
    lasso.SAML2_ASSERTION_VALID: "valid",
    lasso.SAML2_ASSERTION_INVALID: "invalid",
    lasso.SAML2_ASSERTION_INDETERMINATE: "indeterminate",
}
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
XENC = "http://www.w3.org/2001/04/xmlenc#"
DS = "http://www.w3.org/2000/09/xmldsig#"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def parse_base64(text):
    return etree.fromstring(base64.b64decode(text), PARSER)


class Refused(Exception):
    """Lasso refused the Response, or a value Lasso returned is not the expected one."""


def without_response_signature(saml_response):
    """The Response with its own ds:Signature (a direct child of the root, at most one) removed."""
    root = parse_base64(saml_response)
    signatures = root.findall("{%s}Signature" % DS)
    if len(signatures) != 1:
        raise Refused("%d signatures on the Response" % len(signatures))
    root.remove(signatures[0])
    return base64.b64encode(etree.tostring(root)).decode("ascii")


def read(server, login_dump, saml_response, signatures):
    login = lasso.Login.newFromDump(server, login_dump)
    request_id = login.request.id
    login.setSignatureVerifyHint(VERIFY_HINTS[signatures])
    message = without_response_signature(saml_response) if signatures == "ignore" else saml_response
    try:
        login.processAuthnResponseMsg(message)
    except lasso.Error as err:
        raise Refused("processAuthnResponseMsg: %s (%d)" % (type(err).__name__, err.code)) from None
    response = login.response
    if response.inResponseTo != request_id:
        raise Refused("Response InResponseTo %r is not the request %r" % (response.inResponseTo, request_id))
    assertions = list(response.assertion or ())
    if len(assertions) != 1:
        raise Refused("%d assertions after decryption" % len(assertions))
    report = {
        "signatures": "not checked by Lasso (Response signature removed)" if signatures == "ignore" else "verified by Lasso",
        "issuer": response.issuer.content,
        "destination": response.destination,
        "in_response_to": response.inResponseTo,
        "status": response.status.statusCode.value,
        "wire": wire_algorithms(saml_response),
    }
    report.update(read_assertion(assertions[0]))
    report["conditions"] = CONDITIONS[assertions[0].validateConditions(server.providerId)]
    return report


def wire_algorithms(saml_response):
    """Algorithms named on the wire (read only to report them: Lasso did the decryption)."""
    root = parse_base64(saml_response)

    def uris(path):
        return [el.get("Algorithm") for el in root.iterfind(path, {"saml": SAML, "xenc": XENC, "ds": DS})]

    return {
        "response_signature": uris("ds:Signature/ds:SignedInfo/ds:SignatureMethod"),
        "data_encryption": uris("saml:EncryptedAssertion/xenc:EncryptedData/xenc:EncryptionMethod"),
        "key_transport": uris("saml:EncryptedAssertion/xenc:EncryptedData/ds:KeyInfo/xenc:EncryptedKey/xenc:EncryptionMethod")
        + uris("saml:EncryptedAssertion/xenc:EncryptedKey/xenc:EncryptionMethod"),
    }


def read_assertion(assertion):
    """The parts of the decrypted assertion a Connector uses, as Lasso parsed them."""
    name_id = assertion.subject.nameId
    (authn,) = assertion.authnStatement
    audiences = [restriction.audience for restriction in assertion.conditions.audienceRestriction]
    attributes, value_types = {}, {}
    for statement in assertion.attributeStatement:
        for attribute in statement.attribute:
            key = attribute.friendlyName or attribute.name
            attributes[key] = [value_text(v) for v in attribute.attributeValue]
            value_types[key] = [value_type(v) for v in attribute.attributeValue]
    return {
        "assertion_issuer": assertion.issuer.content,
        "name_id": {"format": name_id.format, "value": name_id.content},
        "loa": authn.authnContext.authnContextClassRef,
        "audience": audiences,
        "attributes": attributes,
        "value_types": value_types,
    }


def value_text(value):
    """The value as Lasso parsed it: the text nodes of Saml2AttributeValue.any."""
    parts = list(value.any or ())
    if not all(isinstance(p, lasso.MiscTextNode) and p.textChild for p in parts):
        raise Refused("an attribute value is not plain text")
    return "".join(p.content for p in parts)


def value_type(value):
    """The xsi:type, resolved against the namespaces in scope of the node Lasso parsed: '{ns}Local'."""
    el = etree.fromstring(value.originalXmlnode.encode("utf-8"), PARSER)
    qname = el.get(XSI_TYPE)
    if qname is None:
        return None
    prefix, _, local = qname.rpartition(":")
    return "{%s}%s" % (el.nsmap.get(prefix or None), local)
