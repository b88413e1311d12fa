"""What Nozzly may download from a supplier: which addresses (the webhooks' SSRF rules: public addresses only,
checked after resolution and on every redirect; https only on AWS), how much, of which type, how long."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from nozzly.kernel.domain.errors import InvalidInput

MAX_REDIRECTS: Final = 3


class DownloadRefused(InvalidInput):
    """The source may not be fetched (address, scheme, type, size): retrying changes nothing."""


class TransientError(Exception):
    """The source did not answer in time or answered 5xx/429: the workflow retries the step with backoff.

    The name is the contract: the state machines' Retry lists `TransientError` (Lambda's errorType)."""


@dataclass(frozen=True, slots=True)
class DownloadLimits:
    max_bytes: int
    content_types: frozenset[str]  # the media types accepted, parameters ignored
    timeout_seconds: float  # per connection step, and for the whole download


PRODUCT_JSON = DownloadLimits(512 * 1024, frozenset({"application/json"}), 10.0)
PRODUCT_IMAGE = DownloadLimits(
    10 * 1024 * 1024, frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"}), 20.0
)


def media_type(header: str | None) -> str:
    return (header or "").split(";", 1)[0].strip().lower()


def judge_headers(limits: DownloadLimits, content_type: str | None, content_length: str | None) -> None:
    """Refuse by the headers, before a byte of the body is read."""
    kind = media_type(content_type)
    if kind not in limits.content_types:
        raise DownloadRefused(
            f"the source sent {kind or 'no type'}; expected {', '.join(sorted(limits.content_types))}"
        )
    if content_length is not None and content_length.isdigit() and int(content_length) > limits.max_bytes:
        raise DownloadRefused(f"the source is {content_length} bytes; at most {limits.max_bytes}")
