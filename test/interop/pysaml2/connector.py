#!/usr/bin/python3
"""Independent eIDAS test Connector on Debian's pysaml2 7.0.1 + xmlsec1 1.2.37.

Shares no code with Pont eIDAS. See sp_config.py for the settings file.

  connector.py SETTINGS metadata [--valid-hours N]
      Prints the Connector's SAML metadata, signed (ecdsa-sha256) by xmlsec1 with metadata_key.
  connector.py SETTINGS authn-request --binding post|redirect [--loa URI] [--relay-state S] [--destination URL]
      Builds and signs (ecdsa-sha256, enveloped) an eIDAS AuthnRequest: Extensions with SPType and
      RequestedAttributes (minimum data set isRequired), RequestedAuthnContext minimum, ForceAuthn,
      NameIDPolicy persistent. Redirect = the eIDAS-Node habit: the signed XML deflated into
      SAMLRequest, no SigAlg/Signature parameters. The destination is the node's SSO endpoint
      for that binding from idp_metadata unless given. Records the request ID in state_file and
      prints JSON {id, binding, method, url, fields, xml}.
  connector.py SETTINGS check-response FILE [--request-id ID]
      FILE holds the SAMLResponse form value (base64) or the Response XML. Validates it with
      pysaml2 against idp_metadata, which must be signed by idp_trust_anchor (checked first with
      xmlsec1). Prints JSON; exit 0 = valid Success, 2 = valid signed error Response,
      1 = refused ("FAIL <reason>" on stdout).
"""
import argparse
import base64
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import eidas_glue  # noqa: E402

eidas_glue.apply()

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT  # noqa: E402
from saml2.client import Saml2Client  # noqa: E402
from saml2.pack import http_redirect_message  # noqa: E402
from saml2.samlp import RequestedAuthnContext  # noqa: E402
from saml2.saml import AuthnContextClassRef  # noqa: E402

import check_response  # noqa: E402
from sp_config import load_settings, sp_config  # noqa: E402
from sp_metadata import ENTITY_DESCRIPTOR, signed_metadata, xmlsec1_verify  # noqa: E402

BINDINGS = {"post": BINDING_HTTP_POST, "redirect": BINDING_HTTP_REDIRECT}
SUBSTANTIAL = "http://eidas.europa.eu/LoA/substantial"


def trusted_client(settings):
    """pysaml2 client whose IdP metadata was first verified with the trust anchor (xmlsec1)."""
    if not xmlsec1_verify(settings["idp_metadata"], settings["idp_trust_anchor"], ENTITY_DESCRIPTOR):
        raise check_response.Refused("the node's metadata is not signed by the trust anchor")
    return Saml2Client(config=sp_config(settings))


def read_state(settings):
    try:
        with open(settings["state_file"], encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def remember(settings, request_id, loa):
    state = read_state(settings)
    state[request_id] = {"id": request_id, "loa": loa}
    with open(settings["state_file"], "w", encoding="utf-8") as f:
        json.dump(state, f)


def sso_location(client, binding):
    idps = list(client.metadata.identity_providers())
    if len(idps) != 1:
        raise check_response.Refused("expected the metadata of exactly one Proxy-Service")
    for location in client.metadata.single_sign_on_service(idps[0], binding):
        return location["location"]
    raise check_response.Refused("the node publishes no SSO endpoint for " + binding)


def authn_request(settings, args):
    client = trusted_client(settings)
    binding = BINDINGS[args.binding]
    destination = args.destination or sso_location(client, binding)
    context = RequestedAuthnContext(authn_context_class_ref=[AuthnContextClassRef(text=args.loa)], comparison="minimum")
    request_id, xml = client.create_authn_request(
        destination, binding=binding, requested_authn_context=context, is_passive="false", sign=True,
        message_id="_" + os.urandom(20).hex(),  # 160 random bits (R-MSG-01)
    )
    xml = str(xml)
    remember(settings, request_id, args.loa)
    out = {"id": request_id, "binding": args.binding, "xml": xml}
    if binding == BINDING_HTTP_POST:
        fields = {"SAMLRequest": base64.b64encode(xml.encode("utf-8")).decode("ascii")}
        if args.relay_state:
            fields["RelayState"] = args.relay_state
        out.update(method="POST", url=destination, fields=fields)
    else:
        info = http_redirect_message(xml, destination, args.relay_state or "", "SAMLRequest", sign=False)
        url = dict(info["headers"])["Location"]
        out.update(method="GET", url=url, fields={})
    return out


def main(argv):
    parser = argparse.ArgumentParser(description="pysaml2 eIDAS test Connector")
    parser.add_argument("settings")
    sub = parser.add_subparsers(dest="command", required=True)
    md = sub.add_parser("metadata")
    md.add_argument("--valid-hours", type=int, default=24)
    req = sub.add_parser("authn-request")
    req.add_argument("--binding", choices=sorted(BINDINGS), required=True)
    req.add_argument("--loa", default=SUBSTANTIAL, choices=check_response.NOTIFIED)
    req.add_argument("--relay-state", default="")
    req.add_argument("--destination")
    chk = sub.add_parser("check-response")
    chk.add_argument("file")
    chk.add_argument("--request-id")
    args = parser.parse_args(argv)
    settings = load_settings(args.settings)
    try:
        if args.command == "metadata":
            sys.stdout.buffer.write(signed_metadata(sp_config(settings, with_idp=False), settings, args.valid_hours))
            return 0
        if args.command == "authn-request":
            print(json.dumps(authn_request(settings, args)))
            return 0
        return check(settings, args)
    except Exception as err:  # a refusal of any kind is one FAIL line, never a traceback
        print("FAIL %s: %s" % (type(err).__name__, str(err).splitlines()[0] if str(err) else ""))
        return 1


def check(settings, args):
    eidas_glue.validate_eidas_value_types()  # built only here: it takes a second
    state = read_state(settings)
    request_id = args.request_id or (list(state)[-1] if state else None)
    if request_id not in state:
        raise check_response.Refused("no outstanding request %r" % request_id)
    with open(args.file, "rb") as f:
        raw = f.read()
    code, report = check_response.check(trusted_client(settings), settings, raw, state[request_id])
    print(json.dumps(report))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
