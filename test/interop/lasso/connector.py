#!/usr/bin/python3
"""Independent 1.2-era eIDAS test Connector on Debian's Lasso 2.8.1 (libxmlsec1 1.2.37).

Shares no code with Pont eIDAS. Lasso signs and verifies RSA PKCS#1 v1.5 only (rsa-sha256): it
can neither sign nor verify ECDSA or RSA-PSS. It decrypts AES-GCM with rsa-oaep-mgf1p.

Settings (JSON object; paths are PEM files):
  entity_id, acs_url, node_country   the Connector (entityID = its metadata URL, R-MD-02)
  signing_key/cert       RSA 3072: Lasso signs AuthnRequests rsa-sha256 (enveloped)
  encryption_key/cert    RSA 3072: the node encrypts the assertion to it
  metadata_key/cert      signs the metadata (xmlsec1); metadata_sig rsa-sha256 | ecdsa-sha256
  sp_metadata            where `metadata` writes the document Lasso loads as its own
  idp_metadata           the node's Proxy-Service metadata (loaded as given: Lasso cannot verify
                         its RSA-PSS or ECDSA signature; the test fetches it from the node itself)
  state_file             Lasso's pending logins (login.dump()) by request ID, between subcommands

  connector.py SETTINGS metadata [--valid-hours N]
      Writes and prints the signed SP metadata (sp_metadata.py), then loads it into lasso.Server.
  connector.py SETTINGS authn-request [--loa URI] [--relay-state S]
      Lasso builds an eIDAS AuthnRequest to the node's HTTP-POST SSO endpoint: Extensions
      (SPType, RequestedAttributes) through Samlp2Extensions.any, RequestedAuthnContext minimum,
      ForceAuthn, NameIDPolicy persistent; Lasso signs it rsa-sha256. Prints JSON
      {id, method, url, fields, xml}.
  connector.py SETTINGS read-response FILE --request-id ID --signatures ignore|force
      FILE holds the SAMLResponse form value. Lasso resumes the pending login of request ID,
      processes the Response (see lasso_response.py for ignore / force), decrypts the
      EncryptedAssertion and reads it. Prints JSON; exit 0 = read, 1 = refused ("FAIL <error>").
"""
import argparse
import base64
import json
import os
import sys

import lasso
from lxml import etree

sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import lasso_response  # noqa: E402
from sp_metadata import signed_metadata  # noqa: E402

EIDAS = "http://eidas.europa.eu/saml-extensions"
URI_FORMAT = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
NATURAL = "http://eidas.europa.eu/attributes/naturalperson/"
SUBSTANTIAL = "http://eidas.europa.eu/LoA/substantial"

# The natural-person minimum data set, all isRequired (R-MSG-15), plus one optional attribute.
REQUESTED_ATTRIBUTES = [
    ("PersonIdentifier", "PersonIdentifier", True),
    ("CurrentFamilyName", "FamilyName", True),
    ("CurrentGivenName", "FirstName", True),
    ("DateOfBirth", "DateOfBirth", True),
    ("PlaceOfBirth", "PlaceOfBirth", False),
]


def load_settings(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def lasso_server(settings, with_idp=True):
    """Lasso's SP: its own metadata and keys, rsa-sha256, the node as its one IdP."""
    server = lasso.Server(settings["sp_metadata"], settings["signing_key"], None, settings["signing_cert"])
    server.signatureMethod = lasso.SIGNATURE_METHOD_RSA_SHA256
    server.setEncryptionPrivateKey(settings["encryption_key"])
    if with_idp:
        server.addProvider(lasso.PROVIDER_ROLE_IDP, settings["idp_metadata"])
    return server


def eidas_element(name, children=(), text=None, **attrs):
    el = etree.Element("{%s}%s" % (EIDAS, name), nsmap={"eidas": EIDAS}, **attrs)
    el.text = text
    for child in children:
        el.append(child)
    return el


def eidas_extensions():
    """Samlp2Extensions.any: the eIDAS SPType and RequestedAttributes, as XML strings."""
    requested = [
        eidas_element("RequestedAttribute", Name=NATURAL + name, FriendlyName=friendly, NameFormat=URI_FORMAT,
                      isRequired="true" if required else "false")
        for name, friendly, required in REQUESTED_ATTRIBUTES
    ]
    parts = [eidas_element("SPType", text="public"), eidas_element("RequestedAttributes", requested)]
    extensions = lasso.Samlp2Extensions()
    extensions.any = tuple(etree.tostring(p, encoding="unicode") for p in parts)
    return extensions


def authn_request(settings, args):
    server = lasso_server(settings)
    (idp,) = server.providerIds
    login = lasso.Login(server)
    login.initAuthnRequest(idp, lasso.HTTP_METHOD_POST)
    request = login.request
    request.forceAuthn = True
    request.isPassive = False
    request.nameIdPolicy.format = lasso.SAML2_NAME_IDENTIFIER_FORMAT_PERSISTENT
    request.nameIdPolicy.allowCreate = True
    context = lasso.Samlp2RequestedAuthnContext()
    context.authnContextClassRef = (args.loa,)
    context.comparison = "minimum"
    request.requestedAuthnContext = context
    request.extensions = eidas_extensions()
    if args.relay_state:
        login.msgRelayState = args.relay_state
    login.buildAuthnRequestMsg()
    remember(settings, request.id, login.dump())
    fields = {"SAMLRequest": login.msgBody}
    if args.relay_state:
        fields["RelayState"] = args.relay_state
    xml = base64.b64decode(login.msgBody).decode("utf-8")
    return {"id": request.id, "method": "POST", "url": login.msgUrl, "fields": fields, "xml": xml}


def remember(settings, request_id, login_dump):
    """Lasso's own state of the pending login (it checks the assertion's InResponseTo against it)."""
    state = read_state(settings)
    state[request_id] = login_dump
    with open(settings["state_file"], "w", encoding="utf-8") as f:
        json.dump(state, f)


def read_state(settings):
    try:
        with open(settings["state_file"], encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def metadata(settings, args):
    document = signed_metadata(settings, args.valid_hours)
    with open(settings["sp_metadata"], "wb") as f:
        f.write(document)
    lasso_server(settings, with_idp=False)  # Lasso reads back what it will act as
    return document


def read_response(settings, args):
    with open(args.file, "rb") as f:
        raw = f.read().strip()
    login_dump = read_state(settings).get(args.request_id)
    if login_dump is None:
        raise lasso_response.Refused("no outstanding request %r" % args.request_id)
    return lasso_response.read(lasso_server(settings), login_dump, raw.decode("ascii"), args.signatures)


def main(argv):
    parser = argparse.ArgumentParser(description="Lasso eIDAS test Connector")
    parser.add_argument("settings")
    sub = parser.add_subparsers(dest="command", required=True)
    md = sub.add_parser("metadata")
    md.add_argument("--valid-hours", type=int, default=24)
    req = sub.add_parser("authn-request")
    req.add_argument("--loa", default=SUBSTANTIAL)
    req.add_argument("--relay-state", default="")
    rsp = sub.add_parser("read-response")
    rsp.add_argument("file")
    rsp.add_argument("--request-id", required=True)
    rsp.add_argument("--signatures", choices=sorted(lasso_response.VERIFY_HINTS), required=True)
    args = parser.parse_args(argv)
    settings = load_settings(args.settings)
    try:
        if args.command == "metadata":
            sys.stdout.buffer.write(metadata(settings, args))
        elif args.command == "authn-request":
            print(json.dumps(authn_request(settings, args)))
        else:
            print(json.dumps(read_response(settings, args)))
        return 0
    except Exception as err:  # a refusal of any kind is one FAIL line, never a traceback
        print("FAIL %s: %s" % (type(err).__name__, str(err).splitlines()[0] if str(err) else ""))
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
