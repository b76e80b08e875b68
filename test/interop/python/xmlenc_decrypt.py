#!/usr/bin/python3
"""Independent XML-Enc 1.1 decryptor for interop tests (python3-lxml + python3-cryptography).

Usage: xmlenc_decrypt.py PRIVATE_KEY_PEM ENCRYPTED_XML
Decrypts the first xenc:EncryptedData of the document and prints the exclusive C14N of the
decrypted element. Supports what Pont eIDAS sends and xmlsec1 1.2 cannot read:
  content   xmlenc11#aes128-gcm / aes256-gcm (IV 12 bytes, tag 16 bytes)
  key       xmlenc11#rsa-oaep (ds:DigestMethod + xenc11:MGF), xmlenc#rsa-oaep-mgf1p,
            xmlenc#kw-aes128 / kw-aes256 under xenc:AgreementMethod xmlenc11#ECDH-ES with
            xmlenc11#ConcatKDF (ConcatKDFHash of python-cryptography, not Pont's code).
It shares no code with Pont eIDAS.
"""
import base64
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.concatkdf import ConcatKDFHash
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap
from lxml import etree

NS = {
    "xenc": "http://www.w3.org/2001/04/xmlenc#",
    "xenc11": "http://www.w3.org/2009/xmlenc11#",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
    "ds11": "http://www.w3.org/2009/xmldsig11#",
}
HASHES = {
    "http://www.w3.org/2000/09/xmldsig#sha1": hashes.SHA1,
    "http://www.w3.org/2001/04/xmlenc#sha256": hashes.SHA256,
    "http://www.w3.org/2001/04/xmldsig-more#sha384": hashes.SHA384,
    "http://www.w3.org/2001/04/xmlenc#sha512": hashes.SHA512,
}
MGF = {
    "http://www.w3.org/2009/xmlenc11#mgf1sha1": hashes.SHA1,
    "http://www.w3.org/2009/xmlenc11#mgf1sha256": hashes.SHA256,
    "http://www.w3.org/2009/xmlenc11#mgf1sha384": hashes.SHA384,
    "http://www.w3.org/2009/xmlenc11#mgf1sha512": hashes.SHA512,
}
CURVES = {
    "1.2.840.10045.3.1.7": ec.SECP256R1,
    "1.3.132.0.34": ec.SECP384R1,
    "1.3.132.0.35": ec.SECP521R1,
    "1.3.36.3.3.2.8.1.1.7": ec.BrainpoolP256R1,
    "1.3.36.3.3.2.8.1.1.11": ec.BrainpoolP384R1,
    "1.3.36.3.3.2.8.1.1.13": ec.BrainpoolP512R1,
}
KEY_BYTES = {"aes128-gcm": 16, "aes256-gcm": 32, "kw-aes128": 16, "kw-aes256": 32}


def b64(el):
    return base64.b64decode("".join(el.text.split()))


def one(el, path):
    found = el.findall(path, NS)
    if len(found) != 1:
        raise SystemExit(f"expected one {path}, found {len(found)}")
    return found[0]


def rsa_oaep(key, ek, method):
    alg = method.get("Algorithm")
    digest = method.find("ds:DigestMethod", NS)
    oaep_hash = HASHES[digest.get("Algorithm")] if digest is not None else hashes.SHA1
    if alg.endswith("xmlenc#rsa-oaep-mgf1p"):
        mgf_hash = hashes.SHA1
    else:
        mgf = method.find("xenc11:MGF", NS)
        mgf_hash = MGF[mgf.get("Algorithm")] if mgf is not None else hashes.SHA1
    wrapped = b64(one(ek, "xenc:CipherData/xenc:CipherValue"))
    return key.decrypt(wrapped, padding.OAEP(mgf=padding.MGF1(mgf_hash()), algorithm=oaep_hash(), label=None))


def bitstring(value):
    raw = bytes.fromhex(value or "")
    if raw and raw[0] != 0:
        raise SystemExit("padding bits in a ConcatKDF parameter")
    return raw[1:]


def ecdh_es(key, ek, method):
    am = one(ek, "ds:KeyInfo/xenc:AgreementMethod")
    assert am.get("Algorithm") == NS["xenc11"] + "ECDH-ES"
    kdm = one(am, "xenc11:KeyDerivationMethod")
    assert kdm.get("Algorithm") == NS["xenc11"] + "ConcatKDF"
    params = one(kdm, "xenc11:ConcatKDFParams")
    kdf_hash = HASHES[one(params, "ds:DigestMethod").get("Algorithm")]
    other = b"".join(bitstring(params.get(n)) for n in ("AlgorithmID", "PartyUInfo", "PartyVInfo", "SuppPubInfo", "SuppPrivInfo"))
    eckv = am.find("xenc:OriginatorKeyInfo/ds:KeyValue/ds11:ECKeyValue", NS)
    if eckv is not None:
        oid = one(eckv, "ds11:NamedCurve").get("URI")[len("urn:oid:"):]
        ephemeral = ec.EllipticCurvePublicKey.from_encoded_point(CURVES[oid](), b64(one(eckv, "ds11:PublicKey")))
    else:
        ephemeral = serialization.load_der_public_key(b64(one(am, "xenc:OriginatorKeyInfo/ds11:DEREncodedKeyValue")))
    z = key.exchange(ec.ECDH(), ephemeral)
    wrap = method.get("Algorithm").split("#")[1]
    kek = ConcatKDFHash(algorithm=kdf_hash(), length=KEY_BYTES[wrap], otherinfo=other).derive(z)
    return aes_key_unwrap(kek, b64(one(ek, "xenc:CipherData/xenc:CipherValue")))


def main():
    with open(sys.argv[1], "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    doc = etree.parse(sys.argv[2], etree.XMLParser(resolve_entities=False, no_network=True))
    ed = doc.xpath("//xenc:EncryptedData", namespaces=NS)[0]
    data_alg = one(ed, "xenc:EncryptionMethod").get("Algorithm").split("#")[1]
    ek = one(ed, "ds:KeyInfo/xenc:EncryptedKey")
    method = one(ek, "xenc:EncryptionMethod")
    if "rsa-oaep" in method.get("Algorithm"):
        cek = rsa_oaep(key, ek, method)
    else:
        cek = ecdh_es(key, ek, method)
    assert len(cek) == KEY_BYTES[data_alg], "content key of the wrong size"
    value = b64(one(ed, "xenc:CipherData/xenc:CipherValue"))
    plaintext = AESGCM(cek).decrypt(value[:12], value[12:], None)
    element = etree.fromstring(plaintext, etree.XMLParser(resolve_entities=False, no_network=True))
    sys.stdout.buffer.write(etree.tostring(element, method="c14n", exclusive=True))


if __name__ == "__main__":
    main()
