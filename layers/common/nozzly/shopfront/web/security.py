"""Headers every shop page carries: a strict Content-Security-Policy, and the cookies a page decided to set."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from fastapi import Request, Response
from starlette.middleware.base import BaseHTTPMiddleware

from nozzly.shopfront.web import session
from nozzly.shopfront.web.shop import Shop


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def _origins(*urls: str | None) -> str:
    found = sorted({o for o in (_origin(u) for u in urls if u) if o})
    return (" " + " ".join(found)) if found else ""


def _bucket_urls() -> list[str]:
    """Where presigned image URLs point: the bucket's global and regional S3 hosts (boto3 picks one by region)."""
    bucket, region = os.environ.get("IMAGES_BUCKET"), os.environ.get("AWS_REGION", "us-east-1")
    if not bucket:
        return []
    return [f"https://{bucket}.s3.amazonaws.com", f"https://{bucket}.s3.{region}.amazonaws.com"]


def content_security_policy(shop: Shop, nonce: str | None) -> str:
    """Scripts from this site and the payment providers' script URLs only; images from this site, the images CDN
    and the images bucket; frames only the payment providers' (card fields); nothing may frame the shop."""
    pay = shop.payment_config()
    payments = _origins(pay.get("stripe_js_url"), pay.get("square_js_url"))
    api = _origins(os.environ.get("STRIPE_API_BASE"), os.environ.get("SQUARE_BASE_URL"), os.environ.get("LIVE_URL"))
    images = _origins(os.environ.get("IMAGES_URL"), *_bucket_urls(), os.environ.get("AWS_ENDPOINT_URL"))
    style = f" 'nonce-{nonce}'" if nonce else ""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self'{payments}",
            f"style-src 'self'{style}{payments}",
            f"img-src 'self' data:{images}{payments}",
            f"connect-src 'self'{payments}{api}",
            f"frame-src{payments or ' ' + chr(39) + 'none' + chr(39)}",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class PageHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        front = getattr(request.state, "storefront", None)
        if response.headers.get("content-type", "").startswith("text/html"):
            nonce = front.nonce if front else None
            response.headers["content-security-policy"] = content_security_policy(request.app.state.shop, nonce)
            response.headers.setdefault("cache-control", "no-store")
            response.headers.setdefault("referrer-policy", "strict-origin-when-cross-origin")
            response.headers["x-frame-options"] = "DENY"
        response.headers["x-content-type-options"] = "nosniff"
        if front is not None:
            for name, (value, max_age) in session.queued_cookies(request).items():
                if value is None:
                    session.clear_cookie(response, front.site, name)
                else:
                    session.set_cookie(response, front.site, name, value, max_age)
        return response
