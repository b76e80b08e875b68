#!/usr/bin/python3
"""Schema validation of our metadata with lxml (libxml2), none of the project's code.

  validate_metadata.py EIDAS_XSD_DIR FILE...
      Validates each FILE against the OASIS SAML 2.0 metadata schema, the metadata extensions
      for entity attributes and algorithm support (the copies Debian's python3-pysaml2 ships)
      and the EU eIDAS-Node extension schema (saml_eidas_extension.xsd, from EIDAS_XSD_DIR).
      Prints "OK FILE" or "INVALID FILE: line N: message" per file; exit 0 only if all are valid.

The wrapper schema is written to a temporary directory at run time. It imports each
namespace once, from a local file, before the OASIS schemas would fetch them from w3.org
(libxml2 skips a namespace that is already imported). md:Extensions is processContents="lax",
so an element of the eidas namespace is validated only when declared: the EU schema lacks
eidas:NodeCountry, so the wrapper adds it as the eIDAS SAML Message Format (MF 4.2, 5.2)
defines it: a string of two capital letters. xenc:EncryptionMethodType takes foreign elements
strictly, and Debian ships no XML Encryption 1.1 schema, so the wrapper declares xenc11:MGF as
that schema does (an AlgorithmIdentifierType: required Algorithm URI, optional Parameters).
"""
import os
import sys
import tempfile

from lxml import etree

OASIS = "/usr/lib/python3/dist-packages/saml2/data/schemas"
XS = "http://www.w3.org/2001/XMLSchema"
EIDAS = "http://eidas.europa.eu/saml-extensions"
XENC11 = "http://www.w3.org/2009/xmlenc11#"

IMPORTS = [
    ("http://www.w3.org/XML/1998/namespace", os.path.join(OASIS, "xml.xsd")),
    ("http://www.w3.org/2000/09/xmldsig#", os.path.join(OASIS, "xmldsig-core-schema.xsd")),
    ("http://www.w3.org/2001/04/xmlenc#", os.path.join(OASIS, "xenc-schema.xsd")),
    ("urn:oasis:names:tc:SAML:2.0:assertion", os.path.join(OASIS, "saml-schema-assertion-2.0.xsd")),
    ("urn:oasis:names:tc:SAML:2.0:metadata", os.path.join(OASIS, "saml-schema-metadata-2.0.xsd")),
    ("urn:oasis:names:tc:SAML:metadata:attribute", os.path.join(OASIS, "sstc-metadata-attr.xsd")),
    ("urn:oasis:names:tc:SAML:metadata:algsupport", os.path.join(OASIS, "sstc-saml-metadata-algsupport-v1.0.xsd")),
]


def eidas_schema(directory, eidas_xsd_dir):
    """eIDAS namespace: the EU schema, included, plus NodeCountry."""
    root = etree.Element("{%s}schema" % XS, nsmap={"xs": XS, "eidas": EIDAS},
                         targetNamespace=EIDAS, elementFormDefault="qualified")
    etree.SubElement(root, "{%s}include" % XS,
                     schemaLocation=os.path.join(os.path.abspath(eidas_xsd_dir), "saml_eidas_extension.xsd"))
    element = etree.SubElement(root, "{%s}element" % XS, name="NodeCountry")
    simple = etree.SubElement(element, "{%s}simpleType" % XS)
    restriction = etree.SubElement(simple, "{%s}restriction" % XS, base="xs:string")
    etree.SubElement(restriction, "{%s}pattern" % XS, value="[A-Z]{2}")
    path = os.path.join(directory, "eidas.xsd")
    etree.ElementTree(root).write(path)
    return path


def xenc11_schema(directory):
    """xenc11:MGF only (XML Encryption 1.1: MGFType extends AlgorithmIdentifierType)."""
    root = etree.Element("{%s}schema" % XS, nsmap={"xs": XS}, targetNamespace=XENC11, elementFormDefault="qualified")
    element = etree.SubElement(root, "{%s}element" % XS, name="MGF")
    complex_type = etree.SubElement(element, "{%s}complexType" % XS)
    sequence = etree.SubElement(complex_type, "{%s}sequence" % XS)
    etree.SubElement(sequence, "{%s}element" % XS, name="Parameters", minOccurs="0")
    etree.SubElement(complex_type, "{%s}attribute" % XS, name="Algorithm", type="xs:anyURI", use="required")
    path = os.path.join(directory, "xenc11.xsd")
    etree.ElementTree(root).write(path)
    return path


def wrapper_schema(directory, eidas_xsd_dir):
    root = etree.Element("{%s}schema" % XS, nsmap={"xs": XS}, targetNamespace="urn:x-pont-eidas:test:wrapper")
    local = [(EIDAS, eidas_schema(directory, eidas_xsd_dir)), (XENC11, xenc11_schema(directory))]
    for namespace, location in IMPORTS + local:
        etree.SubElement(root, "{%s}import" % XS, namespace=namespace, schemaLocation=location)
    path = os.path.join(directory, "wrapper.xsd")
    etree.ElementTree(root).write(path)
    return etree.XMLSchema(etree.parse(path))


def main(eidas_xsd_dir, files):
    with tempfile.TemporaryDirectory() as directory:
        schema = wrapper_schema(directory, eidas_xsd_dir)
    ok = True
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for name in files:
        document = etree.parse(name, parser)
        if schema.validate(document):
            print("OK %s" % name)
        else:
            ok = False
            error = schema.error_log.last_error
            print("INVALID %s: line %d: %s" % (name, error.line, error.message))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
