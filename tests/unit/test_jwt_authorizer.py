"""JWT authorizers as API Gateway HTTP APIs run them, on tokens signed as moto's Cognito signs them."""

from __future__ import annotations

import base64
import gzip
import http.client
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from localcloud import gateway
from localcloud.authorizers import Grant, Jwks, JwtAuthorizer, Rejection, UnsupportedAuthorizer, jwks_url, load
from localcloud.routes import RouteTable
from localcloud.template import Route, load_sam
from localcloud.workers import CodeWatcher, Outcome

pytestmark = pytest.mark.unit

POOL, CLIENT = "us-east-1_Operators", "operatorclient123"
ISSUER = f"https://cognito-idp.us-east-1.amazonaws.com/{POOL}"
NOW = int(time.time())
MOTO_KEY = RSAKey.import_key(
    json.loads(gzip.decompress((resources.files("moto") / "cognitoidp/resources/jwks-private.json.gz").read_bytes()))
)
OTHER_KEY = RSAKey.generate_key(2048, parameters={"kid": "dummy"})  # moto's kid, another key
RS512_KEY = RSAKey.generate_key(2048, parameters={"kid": "rs512"})  # moto's key is for RS256 only
AUDIENCE_REFUSED = 'Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"'
IDS = {"AWS::Region": "us-east-1", "OperatorUserPool": POOL, "OperatorUserPoolClient": CLIENT}
IDS |= {"ShopperUserPool": "us-east-1_Shoppers", "ShopperUserPoolClient": "shopperclient"}


@dataclass
class KeyServer:  # serves {"keys": [...]} on loopback, as the emulator serves a pool's JWKS; counts fetches
    keys: list[RSAKey] = field(default_factory=lambda: [MOTO_KEY, RS512_KEY])
    paths: list[str] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def server() -> Iterator[KeyServer]:
    state = KeyServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.paths.append(self.path)
            body = json.dumps({"keys": [k.as_dict(private=False) for k in state.keys]}).encode()
            self.send_response(200)
            self.end_headers()  # HTTP/1.0: the body ends with the connection
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True).start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield state
    httpd.shutdown()
    httpd.server_close()


def authorizer(server: KeyServer, scopes: list[str] | None = None) -> JwtAuthorizer:
    return JwtAuthorizer("OperatorJwt", ISSUER, [CLIENT], Jwks(server.url), scopes=scopes or [], clock=lambda: NOW)


def token(key: RSAKey | OctKey | None = None, header: dict[str, Any] | None = None, **claims: Any) -> str:
    """An access token as moto's Cognito issues one; keyword claims override (None drops one)."""
    access = {"iss": ISSUER, "sub": "8f1c", "client_id": CLIENT, "token_use": "access", "iat": NOW, "auth_time": NOW}
    access |= {"exp": NOW + 3600, "jti": "j-1", "username": "ada", "scope": "aws.cognito.signin.user.admin"}
    body = {k: v for k, v in (access | claims).items() if v is not None}
    head = {"alg": "RS256", "kid": "dummy"} | (header or {})
    return jwt.encode(head, body, key or (RS512_KEY if head["kid"] == "rs512" else MOTO_KEY), algorithms=[head["alg"]])


def check(server: KeyServer, value: str | None, scopes: list[str] | None = None) -> Grant | Rejection:
    return authorizer(server).authorize([] if value is None else [("Authorization", value)], scopes)


def refused(outcome: Grant | Rejection, description: str) -> None:
    assert outcome == Rejection(401, f'Bearer scope="" error="invalid_token" error_description="{description}"')


def test_an_access_token_passes_with_claims_as_strings(server: KeyServer) -> None:
    groups: dict[str, Any] = {"cognito:groups": ["admins", "staff"]}
    grant = check(server, "Bearer " + token(**groups))
    assert isinstance(grant, Grant) and grant.scopes is None  # the route asks for no scopes
    claims = grant.claims
    assert (claims["exp"], claims["iat"], claims["cognito:groups"]) == (str(NOW + 3600), str(NOW), "[admins staff]")
    assert (claims["client_id"], claims["username"], claims["token_use"]) == (CLIENT, "ada", "access")
    assert all(isinstance(v, str) for v in claims.values())
    assert grant.context() == {"jwt": {"claims": claims, "scopes": None}}


@pytest.mark.parametrize(
    ("prefix", "header", "claims"),
    [
        ("Bearer ", {}, {"client_id": None, "aud": CLIENT, "token_use": "id", "email_verified": True}),  # id token
        ("", {}, {}),  # "The identitySource can include only the token, or the token prefixed with Bearer."
        ("bearer ", {"alg": "RS512", "kid": "rs512"}, {"nbf": NOW - 60}),  # any RSA algorithm; nbf in the past
        ("Bearer ", {}, {"aud": ["elsewhere", CLIENT], "client_id": None}),  # aud may be a list
    ],
)
def test_valid_tokens_pass(server: KeyServer, prefix: str, header: dict[str, Any], claims: dict[str, Any]) -> None:
    grant = check(server, prefix + token(header=header, **claims))
    assert isinstance(grant, Grant) and grant.claims.get("email_verified", "true") == "true"


@pytest.mark.parametrize("value", [None, "", "Bearer ", "Bearer   "])
def test_no_token_is_unauthorized(server: KeyServer, value: str | None) -> None:
    assert check(server, value) == Rejection(401, "Bearer")
    assert server.paths == []  # nothing to check a signature of


SEGMENTS, MALFORMED = "token contains an invalid number of segments", "the token is malformed"  # W10: "[]"


@pytest.mark.parametrize(
    ("value", "description"),
    [("not-a-jwt", SEGMENTS), ("a.b", SEGMENTS), ("!!!.e30.sig", MALFORMED), ("W10.e30.sig", MALFORMED)],
)
def test_a_malformed_token_is_refused(server: KeyServer, value: str, description: str) -> None:
    refused(check(server, value), description)


def test_a_signature_by_another_key_with_the_same_kid_or_a_tampered_payload_is_refused(server: KeyServer) -> None:
    refused(check(server, token(OTHER_KEY)), "signature is invalid")
    head, _, signature = token().split(".")
    forged = base64.urlsafe_b64encode(json.dumps({"iss": ISSUER, "client_id": CLIENT, "exp": NOW + 9}).encode())
    refused(check(server, f"{head}.{forged.decode().rstrip('=')}.{signature}"), "signature is invalid")


def test_an_unknown_kid_is_refused_after_fetching_the_keys_again(server: KeyServer) -> None:
    auth = authorizer(server)
    assert isinstance(auth.authorize([("authorization", token())]), Grant)
    outcome = auth.authorize([("authorization", token(header={"kid": "rotated"}))])
    refused(outcome, "no key of the issuer matches the token's kid rotated")
    assert server.paths == [f"/{POOL}/.well-known/jwks.json"] * 2


def test_keys_are_cached_and_a_rotated_key_is_picked_up(server: KeyServer) -> None:
    auth = authorizer(server)
    assert all(isinstance(auth.authorize([("authorization", token())]), Grant) for _ in range(3))
    assert len(server.paths) == 1
    new_key = RSAKey.generate_key(2048, parameters={"kid": "k2"})
    server.keys = [MOTO_KEY, new_key]
    assert isinstance(auth.authorize([("authorization", token(new_key, header={"kid": "k2"}))]), Grant)
    assert len(server.paths) == 2


@pytest.mark.parametrize(
    ("claims", "description"),
    [
        ({"exp": NOW - 1}, "the token has expired"),
        ({"exp": NOW}, "the token has expired"),  # exp must be after now
        ({"exp": None}, "the token has expired"),
        ({"exp": "tomorrow"}, "the token's exp claim is not a number"),
        ({"nbf": NOW + 60}, "the token is not valid yet"),
        ({"iat": NOW + 60}, "the token was issued in the future"),
        ({"iss": ISSUER.replace(POOL, "us-east-1_Other")}, "the token does not have a valid issuer"),
        ({"client_id": "another-client"}, "the token does not have a valid audience"),
        ({"client_id": None}, "the token does not have a valid audience"),
        ({"aud": "another-client"}, "the token does not have a valid audience"),  # aud wins over client_id
    ],
)
def test_claims_are_validated(server: KeyServer, claims: dict[str, Any], description: str) -> None:
    refused(check(server, token(**claims)), description)


@pytest.mark.parametrize("alg", ["HS256", "none", "ES256"])
def test_only_rsa_signatures_are_accepted(server: KeyServer, alg: str) -> None:
    head = base64.urlsafe_b64encode(json.dumps({"alg": alg, "kid": "dummy"}).encode()).decode().rstrip("=")
    signed = token(OctKey.import_key("a shared secret of thirty-two bytes!"), {"alg": "HS256"})
    value = signed if alg == "HS256" else f"{head}.{signed.split('.')[1]}."
    refused(check(server, value), f"signing method {alg} is invalid")


def test_route_scopes_need_one_of_them_in_the_token(server: KeyServer) -> None:
    grant = check(server, token(scope="orders.read profile"), ["orders.read", "orders.write"])
    assert isinstance(grant, Grant) and grant.scopes == ["orders.read", "profile"]
    assert isinstance(check(server, token(scope=None, scp=["orders.write"]), ["orders.write"]), Grant)
    rejection = check(server, token(), ["orders.read"])
    assert isinstance(rejection, Rejection) and rejection.www_authenticate.startswith('Bearer scope="orders.read" ')
    assert 'error="insufficient_scope"' in rejection.www_authenticate and rejection.status == 403
    assert json.loads(rejection.response().body) == {"message": "Forbidden"}


def stub_resolve(value: Any) -> Any:  # Ref and Fn::Sub as the Resolver resolves them once ids are assigned
    if isinstance(value, list):
        return [stub_resolve(v) for v in value]
    if isinstance(value, dict) and ("Ref" in value or "Fn::Sub" in value):
        return IDS[value["Ref"]] if "Ref" in value else re.sub(r"\$\{(.+?)\}", lambda m: IDS[m[1]], value["Fn::Sub"])
    return {k: stub_resolve(v) for k, v in value.items()} if isinstance(value, dict) else value


def test_the_templates_authorizers_guard_their_routes(server: KeyServer) -> None:
    routes = load(load_sam(), stub_resolve, server.url)
    assert routes.by_name["OperatorJwt"].issuer == ISSUER and routes.by_name["OperatorJwt"].audience == [CLIENT]
    assert routes.check(Route("POST", "/auth/login", "OperatorAuth"), []) is None  # a public route
    me = Route("GET", "/me", "OperatorAuth", "OperatorJwt")
    assert routes.check(me, []) == Rejection(401, "Bearer")
    assert isinstance(routes.check(me, [("Authorization", "Bearer " + token())]), Grant)
    shopper = Route("GET", "/stores/{store}/me", "ShopperAuth", "ShopperJwt")
    assert isinstance(routes.check(shopper, [("Authorization", token())]), Rejection)  # another pool's token
    assert jwks_url(ISSUER, "http://127.0.0.1:4566/") == f"http://127.0.0.1:4566/{POOL}/.well-known/jwks.json"
    with pytest.raises(UnsupportedAuthorizer):  # only Cognito user pools have keys in the emulator
        jwks_url("https://login.example.com/", "http://127.0.0.1:4566")


def test_the_gateway_answers_401_without_invoking_the_function(server: KeyServer) -> None:
    me = Route("GET", "/me", "OperatorAuth", "OperatorJwt")
    events: list[dict[str, Any]] = []

    class Cloud(gateway.LocalCloud):
        def invoke(self, logical_id: str, event: Any, patience: float = 0.0) -> Outcome:
            events.append(event)
            return Outcome(json.dumps({"statusCode": 200, "body": "me"}), None)

    auth = load(load_sam(), stub_resolve, server.url)
    cloud = Cloud(
        routes=RouteTable([me]), pools={}, by_name={}, cors={}, watcher=CodeWatcher(roots=()), schedules=[], auth=auth
    )
    httpd = gateway.GatewayServer(("127.0.0.1", 0), type("Bound", (gateway.Handler,), {"cloud": cloud}))
    threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True).start()

    def get(headers: dict[str, str]) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", httpd.server_address[1], timeout=10)
        connection.request("GET", "/me", headers=headers)
        return connection.getresponse()

    try:
        refusal = get({"Authorization": "Bearer " + token(client_id="someone-else")})
        assert refusal.status == 401 and json.loads(refusal.read()) == {"message": "Unauthorized"}
        assert refusal.headers["www-authenticate"] == AUDIENCE_REFUSED  # AWS's troubleshooting page, verbatim
        assert events == []
        answer = get({"Authorization": "Bearer " + token()})
        assert answer.status == 200 and answer.read() == b"me"
        assert [e["requestContext"]["authorizer"]["jwt"]["claims"]["username"] for e in events] == ["ada"]
        assert events[0]["routeKey"] == events[0]["requestContext"]["routeKey"] == "GET /me"
    finally:
        httpd.shutdown()
        httpd.server_close()
