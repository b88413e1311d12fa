"""The HttpApi's JWT authorizers, checked before a route's function is invoked, as API Gateway does it.

As the API Gateway guide describes it ("Control access to HTTP APIs with JWT authorizers", "Troubleshooting
issues with HTTP API JWT authorizers"): token from the identity source, "Bearer " optional; RSA signature by
the issuer's key named by `kid`; `iss`, then `aud` (or `client_id` when there is no `aud`), `exp`, `nbf`, `iat`,
and `scope`/`scp` if the route has scopes. A refusal is 401 {"message":"Unauthorized"} with www-authenticate
`Bearer scope="" error="invalid_token" error_description="..."`. Keys come from the emulator's Cognito.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey
from joserfc.jws import JWSRegistry

from localcloud.apigw import HttpResponse, json_response
from localcloud.template import Route, authorizers, http_routes

RSA_ALGORITHMS = ("RS256", "RS384", "RS512")  # "Currently, only RSA-based algorithms are supported."
_REGISTRY = JWSRegistry(algorithms=list(RSA_ALGORITHMS), strict_check_header=False)
_COGNITO_ISSUER = re.compile(r"^https://cognito-idp\.[a-z0-9-]+\.amazonaws\.com/([^/]+)$")
Fetch = Callable[[str], Any]  # URL -> parsed JSON


class UnsupportedAuthorizer(Exception):
    pass


class _Invalid(Exception):
    """The token is refused; the message is the www-authenticate error_description."""


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:  # the emulator, on loopback
        return json.loads(response.read())


def jwks_url(issuer: str, emulator: str) -> str:
    """Where the emulator serves the keys of the Cognito user pool an issuer URL names."""
    match = _COGNITO_ISSUER.match(issuer)
    if match is None:
        raise UnsupportedAuthorizer(f"no local keys for issuer {issuer}: only Cognito user pools are emulated")
    return f"{emulator.rstrip('/')}/{match.group(1)}/.well-known/jwks.json"


class Jwks:
    """Each issuer's RSA signing keys by kid: fetched once, and again when a token names a kid not yet seen."""

    def __init__(self, emulator: str, fetch: Fetch = _get_json) -> None:
        self.emulator, self.fetch = emulator, fetch
        self._keys: dict[str, dict[str, RSAKey]] = {}
        self._lock = threading.Lock()

    def key(self, issuer: str, kid: str) -> RSAKey | None:
        with self._lock:
            keys = self._keys.get(issuer)
            if keys is None or kid not in keys:
                keys = self._keys[issuer] = self._load(issuer)
            return keys.get(kid)

    def _load(self, issuer: str) -> dict[str, RSAKey]:
        keys = self.fetch(jwks_url(issuer, self.emulator)).get("keys", [])
        return {k["kid"]: RSAKey.import_key(k) for k in keys if k.get("kty") == "RSA" and isinstance(k.get("kid"), str)}


def claim_value(value: Any) -> str:
    """A claim as API Gateway hands it over: text; numbers as written, lists as "[a b]"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | str):
        return str(value)
    if isinstance(value, list):
        return "[" + " ".join(claim_value(v) for v in value if v is not None) + "]"
    return json.dumps(value, separators=(",", ":"))


def token_scopes(claims: dict[str, Any]) -> list[str]:
    granted = claims.get("scope", claims.get("scp"))
    if isinstance(granted, str):
        return granted.split()
    return [s for s in granted if isinstance(s, str)] if isinstance(granted, list) else []


@dataclass(frozen=True, slots=True)
class Grant:
    claims: dict[str, str]
    scopes: list[str] | None  # null unless the route asks for scopes

    def context(self) -> dict[str, Any]:  # the event's requestContext.authorizer
        return {"jwt": {"claims": self.claims, "scopes": self.scopes}}


@dataclass(frozen=True, slots=True)
class Rejection:
    status: int  # 401, or 403 for a valid token without any of the route's scopes
    www_authenticate: str

    def response(self) -> HttpResponse:
        message = "Unauthorized" if self.status == 401 else "Forbidden"
        return json_response(self.status, {"message": message}, [("www-authenticate", self.www_authenticate)])


def _segment(text: str) -> dict[str, Any]:
    try:
        value = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except ValueError:  # bad base64, UTF-8 or JSON
        value = None
    if not isinstance(value, dict):
        raise _Invalid("the token is malformed")
    return value


def _time(claims: dict[str, Any], name: str) -> float | None:
    value = claims.get(name)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise _Invalid(f"the token's {name} claim is not a number")
    return None if value is None else float(value)


@dataclass
class JwtAuthorizer:
    name: str
    issuer: str
    audience: list[str]
    jwks: Jwks
    header: str = "authorization"  # from the identity source $request.header.<name>
    scopes: list[str] = field(default_factory=list)  # the authorizer's AuthorizationScopes (SAM)
    clock: Callable[[], float] = time.time

    @classmethod
    def from_config(cls, name: str, config: dict[str, Any], jwks: Jwks) -> JwtAuthorizer:
        """From one resolved entry of the HttpApi's Auth.Authorizers."""
        jwt = config.get("JwtConfiguration") or {}
        issuer, audience = jwt.get("issuer", jwt.get("Issuer")), jwt.get("audience", jwt.get("Audience"))
        source = config.get("IdentitySource", "$request.header.Authorization")
        if not isinstance(issuer, str) or not audience or not str(source).startswith("$request.header."):
            raise UnsupportedAuthorizer(f"authorizer {name}: only JWT ones with issuer, audience, header are emulated")
        jwks_url(issuer, jwks.emulator)  # refuse an issuer the emulator cannot serve keys for, now
        header = str(source).removeprefix("$request.header.").lower()
        return cls(name, issuer, [str(a) for a in audience], jwks, header, list(config.get("AuthorizationScopes", [])))

    def token(self, headers: Iterable[tuple[str, str]]) -> str | None:
        token = ",".join(v for k, v in headers if k.lower() == self.header).strip()
        scheme, _, rest = token.partition(" ")
        return (rest.strip() if scheme.lower() == "bearer" else token) or None

    def authorize(self, headers: Iterable[tuple[str, str]], scopes: Sequence[str] | None = None) -> Grant | Rejection:
        required = list(self.scopes if scopes is None else scopes)
        challenge = f'Bearer scope="{" ".join(required)}"'
        token = self.token(headers)
        if token is None:
            return Rejection(401, "Bearer")
        try:
            claims = self._verified(token)
            self._check_claims(claims)
        except _Invalid as invalid:
            description = str(invalid).replace('"', "'")
            return Rejection(401, f'{challenge} error="invalid_token" error_description="{description}"')
        granted = token_scopes(claims)
        if required and not set(required) & set(granted):
            scoped = 'error="insufficient_scope" error_description="the token has none of the route\'s scopes"'
            return Rejection(403, f"{challenge} {scoped}")
        rendered = {k: claim_value(v) for k, v in claims.items() if v is not None}
        return Grant(rendered, granted if required else None)

    def _verified(self, token: str) -> dict[str, Any]:
        parts = token.split(".")
        if len(parts) != 3:
            raise _Invalid("token contains an invalid number of segments")
        header = _segment(parts[0])
        alg = header.get("alg")
        if alg not in RSA_ALGORITHMS:
            raise _Invalid(f"signing method {alg} is invalid")
        kid = header.get("kid")
        key = self.jwks.key(self.issuer, kid) if isinstance(kid, str) else None
        if key is None:
            raise _Invalid(f"no key of the issuer matches the token's kid {kid}")
        try:
            jws.deserialize_compact(token, key, registry=_REGISTRY)
        except (JoseError, ValueError) as error:
            raise _Invalid("signature is invalid") from error
        return _segment(parts[1])

    def _check_claims(self, claims: dict[str, Any]) -> None:
        if claims.get("iss") != self.issuer:
            raise _Invalid("the token does not have a valid issuer")
        audience = claims["aud"] if "aud" in claims else claims.get("client_id")  # aud wins when both are there
        if not any(a in self.audience for a in (audience if isinstance(audience, list) else [audience])):
            raise _Invalid("the token does not have a valid audience")
        now = self.clock()
        expires, not_before, issued = _time(claims, "exp"), _time(claims, "nbf"), _time(claims, "iat")
        if expires is None or expires <= now:
            raise _Invalid("the token has expired")
        if not_before is not None and not_before > now:
            raise _Invalid("the token is not valid yet")
        if issued is not None and issued > now:
            raise _Invalid("the token was issued in the future")


@dataclass
class RouteAuthorizers:
    by_name: dict[str, JwtAuthorizer]
    route_scopes: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (method, path) -> scopes

    def check(self, route: Route, headers: Iterable[tuple[str, str]]) -> Grant | Rejection | None:
        """None for a public route; otherwise what the route's authorizer makes of the request."""
        if route.authorizer is None:
            return None
        return self.by_name[route.authorizer].authorize(headers, self.route_scopes.get((route.method, route.path)))


def _route_scopes(sam: dict[str, Any]) -> dict[tuple[str, str], list[str]]:
    """Each route's own authorization scopes, which replace its authorizer's."""
    return {(r.method, r.path): list(r.scopes) for r in http_routes(sam) if r.scopes is not None}


def load(
    sam: dict[str, Any], resolve: Callable[[Any], Any], emulator: str, fetch: Fetch = _get_json
) -> RouteAuthorizers:
    """The template's authorizers, their intrinsics resolved, with keys from the emulator at `emulator`."""
    jwks = Jwks(emulator, fetch)
    built = {name: JwtAuthorizer.from_config(name, resolve(c), jwks) for name, c in authorizers(sam).items()}
    unknown = sorted({r.authorizer for r in http_routes(sam) if r.authorizer and r.authorizer not in built})
    if unknown:
        raise UnsupportedAuthorizer(f"routes name authorizers the HttpApi does not declare: {', '.join(unknown)}")
    return RouteAuthorizers(built, _route_scopes(sam))
