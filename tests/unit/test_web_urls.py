"""Redirect targets and links a client gives (checkout return_url, tracking_url) are http(s) URLs only."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from nozzly.kernel.contracts.urls import WebUrl
from nozzly.orders.contracts.fulfilment import TrackingUrl
from nozzly.sales.contracts.checkout import CheckoutIn

pytestmark = pytest.mark.unit

URL: TypeAdapter[str] = TypeAdapter(WebUrl)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://files.example/x",
        "//evil.example/done",
        "https:evil.example",
        "/relative/path",
        "https://",
        "https://shop.example/a b",
        " https://shop.example/",
        "",
    ],
)
def test_anything_but_an_absolute_http_url_is_refused(url: str) -> None:
    with pytest.raises(ValidationError):
        URL.validate_python(url)


@pytest.mark.parametrize(
    "url", ["https://shop.example/done?checkout={id}", "http://127.0.0.1:3000/back", "HTTPS://Shop.Example/X"]
)
def test_http_urls_are_kept_as_given(url: str) -> None:
    assert URL.validate_python(url) == url


def test_checkout_names_a_bad_return_url_and_tracking_urls_follow_the_same_rule() -> None:
    body = {
        "email": "ana@example.com",
        "shipping_address": {"name": "Ana", "line1": "1 Way", "city": "Town", "postal_code": "1000", "country": "DE"},
        "shipping_method": "standard",
        "payment_method": "stripe_checkout_session",
        "return_url": "javascript:alert(1)",
    }
    with pytest.raises(ValidationError) as caught:
        CheckoutIn.model_validate(body)
    assert [e["loc"] for e in caught.value.errors()] == [("return_url",)]
    assert isinstance(CheckoutIn.model_validate(body | {"return_url": "https://a.example/"}).return_url, str)
    with pytest.raises(ValidationError):
        TypeAdapter(TrackingUrl).validate_python("javascript:alert(1)")
    with pytest.raises(ValidationError):
        TypeAdapter(TrackingUrl).validate_python("https://track.example/" + "x" * 500)
