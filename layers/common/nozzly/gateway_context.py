"""What API Gateway tells a function about a request beyond its body: source IP, verified claims, bearer token.

Mangum keeps the HTTP API v2 event in request.scope["aws.event"]. The JWT authorizer has already verified
the token's signature, issuer, audience and expiry; its claims are read from the event, never re-verified.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request


def _event(request: Request) -> dict[str, Any]:
    event: dict[str, Any] = request.scope.get("aws.event") or {}
    return event


def source_ip(request: Request) -> str:
    # API Gateway's own view of the peer: unlike X-Forwarded-For, a caller cannot choose it.
    ip = _event(request).get("requestContext", {}).get("http", {}).get("sourceIp")
    return str(ip) if ip else "unknown"


def jwt_claims(request: Request) -> dict[str, str] | None:
    """The claims of a route with a JWT authorizer (all values are strings); None on a public route."""
    authorizer = _event(request).get("requestContext", {}).get("authorizer") or {}
    claims = (authorizer.get("jwt") or {}).get("claims")
    return {str(k): str(v) for k, v in claims.items()} if isinstance(claims, dict) else None


def bearer_token(request: Request) -> str | None:
    """The token from the Authorization header, "Bearer " optional as API Gateway accepts it."""
    value = request.headers.get("authorization", "").strip()
    scheme, _, rest = value.partition(" ")
    token = rest.strip() if scheme.lower() == "bearer" else value
    return token or None
