#!/usr/bin/python3
"""Independent XML-DSig peer for the interop tests: lxml (libxml2) exclusive C14N and the
`cryptography` package, none of the project's code. Debian's xmlsec1 1.2.37 has no RSA-PSS,
so this is how RSA-PSS and ECDSA on Brainpool curves are cross-checked.

  dsig_peer.py verify FILE CERT_PEM
      Verifies the enveloped signature that is a direct child of the document element and
      references it by '#'+ID. Prints "OK <SignatureMethod>" and exits 0, else "FAIL <why>", 1.
  dsig_peer.py sign FILE KEY_PEM ALGORITHM ELEMENT_ID PREFIXES
      Signs the element with ID=ELEMENT_ID (enveloped, exc-c14n, SHA-256 digest), with an
      InclusiveNamespaces PrefixList of PREFIXES (space-separated, may be empty) on both the
      CanonicalizationMethod and the exc-c14n Transform. Writes the signed document to stdout.

Algorithms: sha{256,384,512}-rsa-MGF1 (RSASSA-PSS, MGF1 with the same hash, salt = hash
length) and ecdsa-sha{256,384,512} (SignatureValue = raw r||s, XML-DSig 1.1).
"""
import base64
import hashlib
import sys

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from lxml import etree

DS = "http://www.w3.org/2000/09/xmldsig#"
EC_NS = "http://www.w3.org/2001/10/xml-exc-c14n#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
DIGESTS = {
    "http://www.w3.org/2001/04/xmlenc#sha256": hashlib.sha256,
    "http://www.w3.org/2001/04/xmldsig-more#sha384": hashlib.sha384,
    "http://www.w3.org/2001/04/xmlenc#sha512": hashlib.sha512,
}
HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
ALGORITHMS = {
    "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1": ("pss", "sha256"),
    "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1": ("pss", "sha384"),
    "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1": ("pss", "sha512"),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256": ("ecdsa", "sha256"),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384": ("ecdsa", "sha384"),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512": ("ecdsa", "sha512"),
}


def q(name):
    return "{%s}%s" % (DS, name)


def c14n(element, prefixes):
    return etree.tostring(element, method="c14n", exclusive=True, with_comments=False,
                          inclusive_ns_prefixes=prefixes or None)


def prefix_list(method):
    inc = method.find("{%s}InclusiveNamespaces" % EC_NS)
    return inc.get("PrefixList", "").split() if inc is not None else []


def digest_without_signature(element, signature, digest_uri, prefixes):
    """Enveloped-signature transform, in place: detach, canonicalise, put back."""
    parent, index, tail = signature.getparent(), signature.getparent().index(signature), signature.tail
    parent.remove(signature)
    try:
        return DIGESTS[digest_uri](c14n(element, prefixes)).digest()
    finally:
        signature.tail = tail
        parent.insert(index, signature)


def verify_value(public_key, algorithm, data, value):
    kind, hash_name = ALGORITHMS[algorithm]
    h = HASHES[hash_name]()
    if kind == "pss":
        assert isinstance(public_key, rsa.RSAPublicKey)
        public_key.verify(value, data, padding.PSS(mgf=padding.MGF1(HASHES[hash_name]()), salt_length=h.digest_size), h)
    else:
        assert isinstance(public_key, ec.EllipticCurvePublicKey)
        size = (public_key.curve.key_size + 7) // 8
        if len(value) != 2 * size:
            raise InvalidSignature("not raw r||s")
        r, s = int.from_bytes(value[:size], "big"), int.from_bytes(value[size:], "big")
        public_key.verify(encode_dss_signature(r, s), data, ec.ECDSA(h))


def verify(path, cert_path):
    root = etree.parse(path).getroot()
    signature = root.find(q("Signature"))
    signed_info = signature.find(q("SignedInfo"))
    reference = signed_info.find(q("Reference"))
    if reference.get("URI") != "#" + root.get("ID"):
        return "FAIL reference does not point at the root"
    transforms = [t.get("Algorithm") for t in reference.find(q("Transforms"))]
    if transforms != [ENVELOPED, EXC_C14N]:
        return "FAIL transforms %r" % transforms
    if signed_info.find(q("CanonicalizationMethod")).get("Algorithm") != EXC_C14N:
        return "FAIL canonicalization method"
    digest = digest_without_signature(root, signature, reference.find(q("DigestMethod")).get("Algorithm"),
                                      prefix_list(reference.find(q("Transforms"))[1]))
    if base64.b64decode(reference.findtext(q("DigestValue"))) != digest:
        return "FAIL digest mismatch"
    algorithm = signed_info.find(q("SignatureMethod")).get("Algorithm")
    cert = x509.load_pem_x509_certificate(open(cert_path, "rb").read())
    value = base64.b64decode(signature.findtext(q("SignatureValue")))
    try:
        verify_value(cert.public_key(), algorithm,
                     c14n(signed_info, prefix_list(signed_info.find(q("CanonicalizationMethod")))), value)
    except InvalidSignature:
        return "FAIL signature value"
    return "OK " + algorithm


def sub(parent, name, algorithm=None):
    el = etree.SubElement(parent, q(name))
    if algorithm:
        el.set("Algorithm", algorithm)
    return el


def with_prefixes(method, prefixes):
    if prefixes:
        inc = etree.SubElement(method, "{%s}InclusiveNamespaces" % EC_NS, nsmap={"ec": EC_NS})
        inc.set("PrefixList", " ".join(prefixes))


def sign(path, key_path, algorithm, element_id, prefixes):
    tree = etree.parse(path)
    element = tree.getroot() if tree.getroot().get("ID") == element_id else \
        tree.getroot().xpath("//*[@ID=$id]", id=element_id)[0]
    key = serialization.load_pem_private_key(open(key_path, "rb").read(), password=None)
    digest = base64.b64encode(hashlib.sha256(c14n(element, prefixes)).digest()).decode()
    signature = etree.Element(q("Signature"), nsmap={"ds": DS})
    signed_info = sub(signature, "SignedInfo")
    with_prefixes(sub(signed_info, "CanonicalizationMethod", EXC_C14N), prefixes)
    sub(signed_info, "SignatureMethod", algorithm)
    reference = sub(signed_info, "Reference")
    reference.set("URI", "#" + element_id)
    transforms = sub(reference, "Transforms")
    sub(transforms, "Transform", ENVELOPED)
    with_prefixes(sub(transforms, "Transform", EXC_C14N), prefixes)
    sub(reference, "DigestMethod", "http://www.w3.org/2001/04/xmlenc#sha256")
    sub(reference, "DigestValue").text = digest
    value_el = sub(signature, "SignatureValue")
    element.insert(0, signature)
    data = c14n(signed_info, prefixes)
    kind, hash_name = ALGORITHMS[algorithm]
    h = HASHES[hash_name]()
    if kind == "pss":
        value = key.sign(data, padding.PSS(mgf=padding.MGF1(HASHES[hash_name]()), salt_length=h.digest_size), h)
    else:
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(h)))
        size = (key.curve.key_size + 7) // 8
        value = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    value_el.text = base64.b64encode(value).decode()
    sys.stdout.write(etree.tostring(tree, encoding="unicode"))
    return None


if __name__ == "__main__":
    if sys.argv[1] == "verify":
        result = verify(sys.argv[2], sys.argv[3])
        print(result)
        sys.exit(0 if result.startswith("OK ") else 1)
    sign(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6].split())
