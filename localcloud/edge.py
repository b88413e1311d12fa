"""The stack's edge, locally: the images CDN, the provider secrets and what the emulator has no API for.

- ImagesDistribution (CloudFront, origin access control to the images bucket): the gateway answers the same
  `/images/stores/...` paths from the emulator's bucket, with the object's Cache-Control and an ETag, and 404 for
  any other key, as the distribution's viewer-request function does (uploads/ and imports/ are never served).
- Provider secrets: SSM SecureString parameters an adopter creates before deploying; the local cloud creates them
  in the emulator with the local peers' values at every start (idempotent).
- The stage's throttling (DefaultRouteSettings): StageThrottle, per route, as API Gateway does.
- CloudFront functions and AWS Backup have nothing to emulate on one local account: they are listed, not created.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from localcloud import apigw, reddit_peer
from localcloud.payments.config import provider_secrets

# Template types the local cloud knowingly does not create (no emulator API, or no effect locally).
NOT_EMULATED = frozenset(
    {
        "AWS::CloudFront::Function",  # its rule (only /images/stores/...) is ImageOrigin.answer's
        "AWS::Backup::BackupVault",  # backups of local tables: `make export` is the local equivalent
        "AWS::Backup::BackupPlan",
        "AWS::Backup::BackupSelection",
    }
)

# The key orders' tracking tokens are made with (orders/domain/tracking.py): fixed locally, so the links in the
# outbox's emails keep working across `make run`s that keep their state.
LOCAL_ORDER_TRACKING_KEY = "local-order-tracking-key-0123456789abcdef"

PATH_PREFIX = "/images/"
SERVED_KEYS = "stores/"  # the bucket policy's and the viewer function's only keys
IMMUTABLE_DEFAULT = "public, max-age=31536000, immutable"


def put_provider_secrets(ssm: Any, stack_name: str) -> list[str]:
    """Create (or overwrite) `/{stack}/providers/{name}` SecureStrings; their names."""
    names = []
    # Reddit's app credentials for product research: the ones the local Reddit peer accepts; the orders' tracking key.
    local = {"reddit-credentials": reddit_peer.CREDENTIALS, "order-tracking-key": LOCAL_ORDER_TRACKING_KEY}
    for name, value in (provider_secrets() | local).items():
        full = f"/{stack_name}/providers/{name}"
        ssm.put_parameter(Name=full, Value=value, Type="SecureString", Overwrite=True)
        names.append(full)
    return names


class ImageOrigin:
    """The images bucket behind the CDN: GET/HEAD of kept images, conditional on If-None-Match."""

    def __init__(self, s3: Any, bucket: str) -> None:
        self.s3 = s3
        self.bucket = bucket

    def answer(self, method: str, path: str, if_none_match: str | None) -> apigw.HttpResponse | None:
        """None when the path is not the CDN's; otherwise what CloudFront would answer."""
        if not path.startswith(PATH_PREFIX):
            return None
        key = path[len(PATH_PREFIX) :]
        if not key.startswith(SERVED_KEYS):
            return _not_found()
        if method not in ("GET", "HEAD"):
            # CloudFront answers a method outside AllowedMethods (GET, HEAD) with 403.
            return apigw.HttpResponse(403, [("content-type", "text/plain")], b"method not allowed")
        try:
            found = self.s3.get_object(Bucket=self.bucket, Key=key)
        except self.s3.exceptions.NoSuchKey:
            # S3 behind an origin access control answers a missing key with 403 AccessDenied (no ListBucket).
            return apigw.HttpResponse(
                403, [("content-type", "application/xml")], b"<Error><Code>AccessDenied</Code></Error>"
            )
        headers = [
            ("content-type", found.get("ContentType") or "application/octet-stream"),
            ("cache-control", found.get("CacheControl") or IMMUTABLE_DEFAULT),
            ("etag", found["ETag"]),
        ]
        if if_none_match and if_none_match == found["ETag"]:
            found["Body"].close()
            return apigw.HttpResponse(304, headers)
        body = found["Body"].read()
        return apigw.HttpResponse(200, headers, b"" if method == "HEAD" else body)


def _not_found() -> apigw.HttpResponse:
    return apigw.HttpResponse(404, [("content-type", "text/plain")], b"Not Found")


class StageThrottle:
    """The HTTP API stage's DefaultRouteSettings throttling, as API Gateway applies it to each route: a token
    bucket of `burst` tokens refilled at `rate` a second; an empty bucket answers 429 before any function runs."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # route key -> (tokens, at)
        self._lock = threading.Lock()

    @classmethod
    def of(cls, default_route_settings: dict[str, Any] | None) -> StageThrottle:
        settings = default_route_settings or {}
        return cls(float(settings.get("ThrottlingRateLimit", 10000)), int(settings.get("ThrottlingBurstLimit", 5000)))

    def admit(self, route_key: str) -> apigw.HttpResponse | None:
        """None when the request may go on; otherwise API Gateway's own 429."""
        with self._lock:
            now = self.clock()
            tokens, at = self._buckets.get(route_key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - at) * self.rate)
            if tokens < 1:
                self._buckets[route_key] = (tokens, now)
                return apigw.json_response(429, {"message": "Too Many Requests"})
            self._buckets[route_key] = (tokens - 1, now)
        return None
