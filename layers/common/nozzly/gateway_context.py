"""What API Gateway tells a function about a request beyond its body: source IP, verified claims, bearer token.

Mangum keeps the HTTP API v2 event in request.scope["aws.event"]. The JWT authorizer has already verified
the token's signature, issuer, audience and expiry; its claims are read from the event, never re-verified.
"""

from __future__ import annotations

import hmac
import os
from typing import Any

from fastapi import Request

# Set by the stack's CloudFront distributions on every request they forward (an origin custom header whose
# value only the stack knows): proof that CloudFront-Viewer-Address was written by CloudFront, not a caller.
EDGE_HEADER = "x-nozzly-edge"


def _event(request: Request) -> dict[str, Any]:
    event: dict[str, Any] = request.scope.get("aws.event") or {}
    return event


def source_ip(request: Request) -> str:
    """The client's address, for per-IP limits. API Gateway's own view of the peer, which a caller cannot
    choose (unlike X-Forwarded-For); behind the stack's CloudFront that peer is an edge server, so there the
    viewer's address CloudFront reports is used."""
    viewer = _viewer_address(request)
    if viewer:
        return viewer
    ip = _event(request).get("requestContext", {}).get("http", {}).get("sourceIp")
    return str(ip) if ip else "unknown"


def _viewer_address(request: Request) -> str | None:
    secret = os.environ.get("EDGE_SECRET", "")
    sent = request.headers.get(EDGE_HEADER, "")
    if not secret or not sent or not hmac.compare_digest(sent.encode(), secret.encode()):
        return None
    address = request.headers.get("cloudfront-viewer-address", "")  # "203.0.113.9:46532", "2001:db8::1:46532"
    ip = address.rsplit(":", 1)[0]
    return ip or None


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
