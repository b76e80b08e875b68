"""Signed SP metadata of the Lasso test Connector: written with lxml, signed by xmlsec1.

Lasso reads SAML metadata but does not write it, and signs only messages, so the
EntityDescriptor is written here and signed by xmlsec1 1.2.37 (a separate metadata key):
rsa-sha256, as a 1.2-era node does, or ecdsa-sha256 with an EC metadata key. The document is
loaded back into lasso.Server by connector.py, so Lasso itself parses every part of it.

What it says about this peer:
  - alg:SigningMethod rsa-sha256 only (all Lasso can sign with), alg:DigestMethod sha256;
  - SPSSODescriptor AuthnRequestsSigned, eidas:NodeCountry, NameIDFormat persistent, one
    HTTP-POST AssertionConsumerService;
  - a signing and an encryption RSA-3072 certificate; the encryption one lists only what Lasso
    decrypts within the eIDAS profile: aes256-gcm and rsa-oaep-mgf1p.
"""
import datetime
import os
import subprocess
import tempfile

from lxml import etree

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
ALG = "urn:oasis:names:tc:SAML:metadata:algsupport"
EIDAS = "http://eidas.europa.eu/saml-extensions"
ENTITY_DESCRIPTOR = MD + ":EntityDescriptor"
PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol"
HTTP_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"

RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
ENCRYPTION_METHODS = [
    "http://www.w3.org/2009/xmlenc11#aes256-gcm",
    "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
]
METADATA_SIGNATURES = {"rsa-sha256": RSA_SHA256, "ecdsa-sha256": ECDSA_SHA256}


def q(ns, name):
    return "{%s}%s" % (ns, name)


def pem_body(path):
    with open(path, encoding="ascii") as f:
        return "".join(line.strip() for line in f if not line.startswith("-----"))


def key_descriptor(parent, use, cert_path, methods=()):
    kd = etree.SubElement(parent, q(MD, "KeyDescriptor"), use=use)
    x509 = etree.SubElement(etree.SubElement(kd, q(DS, "KeyInfo")), q(DS, "X509Data"))
    etree.SubElement(x509, q(DS, "X509Certificate")).text = pem_body(cert_path)
    for uri in methods:
        etree.SubElement(kd, q(MD, "EncryptionMethod"), Algorithm=uri)


def signature_template(doc_id, sig_alg):
    """An enveloped, exc-c14n, SHA-256 signature template for xmlsec1 to fill."""
    sig = etree.Element(q(DS, "Signature"), nsmap={"ds": DS})
    info = etree.SubElement(sig, q(DS, "SignedInfo"))
    etree.SubElement(info, q(DS, "CanonicalizationMethod"), Algorithm=EXC_C14N)
    etree.SubElement(info, q(DS, "SignatureMethod"), Algorithm=sig_alg)
    ref = etree.SubElement(info, q(DS, "Reference"), URI="#" + doc_id)
    transforms = etree.SubElement(ref, q(DS, "Transforms"))
    etree.SubElement(transforms, q(DS, "Transform"), Algorithm=ENVELOPED)
    etree.SubElement(transforms, q(DS, "Transform"), Algorithm=EXC_C14N)
    etree.SubElement(ref, q(DS, "DigestMethod"), Algorithm=SHA256)
    etree.SubElement(ref, q(DS, "DigestValue"))
    etree.SubElement(sig, q(DS, "SignatureValue"))
    etree.SubElement(etree.SubElement(sig, q(DS, "KeyInfo")), q(DS, "X509Data"))
    return sig


def unsigned_metadata(settings, valid_hours):
    until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=valid_hours)
    root = etree.Element(q(MD, "EntityDescriptor"), nsmap={"md": MD, "ds": DS, "alg": ALG, "eidas": EIDAS})
    root.set("ID", "_md" + os.urandom(16).hex())
    root.set("entityID", settings["entity_id"])
    root.set("validUntil", until.strftime("%Y-%m-%dT%H:%M:%SZ"))
    root.append(signature_template(root.get("ID"), METADATA_SIGNATURES[settings["metadata_sig"]]))
    extensions = etree.SubElement(root, q(MD, "Extensions"))
    etree.SubElement(extensions, q(ALG, "DigestMethod"), Algorithm=SHA256)
    etree.SubElement(extensions, q(ALG, "SigningMethod"), Algorithm=RSA_SHA256)
    sp = etree.SubElement(root, q(MD, "SPSSODescriptor"), AuthnRequestsSigned="true",
                          WantAssertionsSigned="true", protocolSupportEnumeration=PROTOCOL)
    etree.SubElement(etree.SubElement(sp, q(MD, "Extensions")), q(EIDAS, "NodeCountry")).text = settings["node_country"]
    key_descriptor(sp, "signing", settings["signing_cert"])
    key_descriptor(sp, "encryption", settings["encryption_cert"], ENCRYPTION_METHODS)
    etree.SubElement(sp, q(MD, "NameIDFormat")).text = PERSISTENT
    etree.SubElement(sp, q(MD, "AssertionConsumerService"), Binding=HTTP_POST,
                     Location=settings["acs_url"], index="0", isDefault="true")
    return root


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


def signed_metadata(settings, valid_hours=24):
    xml = etree.tostring(unsigned_metadata(settings, valid_hours), xml_declaration=True, encoding="UTF-8")
    return xmlsec1_sign(xml, settings["metadata_key"], settings["metadata_cert"], ENTITY_DESCRIPTOR)
