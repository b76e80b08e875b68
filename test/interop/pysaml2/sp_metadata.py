"""Signed eIDAS Connector metadata: built by pysaml2, completed with lxml, signed by xmlsec1.

pysaml2 writes the EntityDescriptor (SPSSODescriptor, keys, ACS, algorithm support read from
`xmlsec1 --list-transforms`). What it has no setting for is added here: validUntil,
eidas:NodeCountry (R-MD-11), the EncryptionMethod list of the encryption key (what this peer
can decrypt: AES-GCM and rsa-oaep-mgf1p only), and algorithm lists cut down to SHA-256 and up.
"""
import datetime
import os
import subprocess
import tempfile

from lxml import etree
from saml2.metadata import entity_descriptor
from saml2.sigver import pre_signature_part
from saml2.xmldsig import DIGEST_SHA256, SIG_ECDSA_SHA256

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
ALG = "urn:oasis:names:tc:SAML:metadata:algsupport"
EIDAS = "http://eidas.europa.eu/saml-extensions"
MDATTR = "urn:oasis:names:tc:SAML:metadata:attribute"
ENTITY_DESCRIPTOR = MD + ":EntityDescriptor"

# What xmlsec1 1.2.37 can decrypt and what the eIDAS profile allows (debian-peers.md).
ENCRYPTION_METHODS = [
    "http://www.w3.org/2009/xmlenc11#aes256-gcm",
    "http://www.w3.org/2009/xmlenc11#aes128-gcm",
    "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
]
DIGESTS = {
    "http://www.w3.org/2001/04/xmlenc#sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512",
}
SIGNING_METHODS = {SIG_ECDSA_SHA256}


def q(ns, name):
    return "{%s}%s" % (ns, name)


def pem_body(path):
    with open(path, encoding="ascii") as f:
        return "".join(line.strip() for line in f if not line.startswith("-----"))


def unsigned_metadata(config, settings, valid_hours):
    """The EntityDescriptor as an lxml element, completed for eIDAS, with a signature template."""
    root = etree.fromstring(str(entity_descriptor(config)).encode("utf-8"))
    until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=valid_hours)
    root.set("validUntil", until.strftime("%Y-%m-%dT%H:%M:%SZ"))
    root.set("ID", "_md" + os.urandom(16).hex())
    trim_algorithms(root)
    sp = root.find(q(MD, "SPSSODescriptor"))
    extensions = etree.Element(q(MD, "Extensions"))
    etree.SubElement(extensions, q(EIDAS, "NodeCountry"), nsmap={"eidas": EIDAS}).text = settings["node_country"]
    sp.insert(0, extensions)
    for kd in sp.findall(q(MD, "KeyDescriptor")):
        if kd.get("use") == "encryption":
            for uri in ENCRYPTION_METHODS:
                etree.SubElement(kd, q(MD, "EncryptionMethod")).set("Algorithm", uri)
    template = pre_signature_part(root.get("ID"), pem_body(settings["metadata_cert"]), 1,
                                  digest_alg=DIGEST_SHA256, sign_alg=SIG_ECDSA_SHA256)
    root.insert(0, etree.fromstring(str(template).encode("utf-8")))
    return root


def trim_algorithms(root):
    """Keeps alg:DigestMethod SHA-256+ and alg:SigningMethod ecdsa-sha256 (what this peer signs with)."""
    extensions = root.find(q(MD, "Extensions"))
    if extensions is None:
        return
    for el in list(extensions):
        if el.tag == q(ALG, "DigestMethod") and el.get("Algorithm") not in DIGESTS:
            extensions.remove(el)
        elif el.tag == q(ALG, "SigningMethod") and el.get("Algorithm") not in SIGNING_METHODS:
            extensions.remove(el)


def xmlsec1_sign(xml_bytes, key, cert, node_name):
    """xmlsec1 fills in the enveloped signature template; returns the signed document."""
    with tempfile.NamedTemporaryFile(suffix=".xml", delete=False) as f:
        f.write(xml_bytes)
        path = f.name
    try:
        out = subprocess.run(
            ["xmlsec1", "--sign", "--privkey-pem", "%s,%s" % (key, cert), "--id-attr:ID", node_name, path],
            capture_output=True, check=False,
        )
    finally:
        os.unlink(path)
    if out.returncode != 0:
        raise RuntimeError("xmlsec1 --sign failed: " + out.stderr.decode("utf-8", "replace"))
    return out.stdout


def signed_metadata(config, settings, valid_hours=24):
    root = unsigned_metadata(config, settings, valid_hours)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return xmlsec1_sign(xml, settings["metadata_key"], settings["metadata_cert"], ENTITY_DESCRIPTOR)


def xmlsec1_verify(path, cert, node_name):
    """True when the document element's signature verifies with `cert` (xmlsec1 --verify)."""
    out = subprocess.run(
        ["xmlsec1", "--verify", "--pubkey-cert-pem", cert, "--id-attr:ID", node_name, path],
        capture_output=True, check=False,
    )
    return out.returncode == 0
