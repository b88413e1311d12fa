"""URLs a client gives that a shopper will later be sent to (redirects, links in emails): http(s) only."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, HttpUrl, TypeAdapter, ValidationError

_HTTP_URL: TypeAdapter[HttpUrl] = TypeAdapter(HttpUrl)
_ABSOLUTE = "must be an absolute http:// or https:// URL"


def _web_url(value: str) -> str:
    """The value as given, once pydantic's HttpUrl accepts it: an http or https scheme and a host.

    `javascript:`, `data:`, `file:` and scheme-relative URLs are refused, and so is any whitespace or control
    character (HttpUrl would quietly percent-encode them).
    """
    if any(c.isspace() or not c.isprintable() for c in value):
        raise ValueError("must be an http(s) URL without spaces")
    try:
        _HTTP_URL.validate_python(value)
    except ValidationError:
        raise ValueError(_ABSOLUTE) from None
    if not value.lower().startswith(("http://", "https://")):  # HttpUrl also takes "https:host"
        raise ValueError(_ABSOLUTE)
    return value


# Stays a str in services and storage; only its shape is checked.
WebUrl = Annotated[
    str,
    Field(min_length=1, max_length=2000, json_schema_extra={"format": "uri"}, examples=["https://shop.example/done"]),
    AfterValidator(_web_url),
]
