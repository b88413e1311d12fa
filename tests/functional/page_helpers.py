"""Shop pages through their functions: API Gateway events a browser's request would make, answers as HTML."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

from tests.functional.harness import Cloud, load_event

PAGE_FUNCTIONS = (
    ("/shop-assets/", "GET /shop-assets/{proxy+}", "ShopPages"),
    ("/cart/", "ANY /shop/{store}/cart/{proxy+}", "ShopCheckoutPages"),
    ("/cart", "ANY /shop/{store}/cart", "ShopCheckoutPages"),
    ("/checkout/", "ANY /shop/{store}/checkout/{proxy+}", "ShopCheckoutPages"),
    ("/checkout", "ANY /shop/{store}/checkout", "ShopCheckoutPages"),
    ("/account/", "ANY /shop/{store}/account/{proxy+}", "ShopAccountPages"),
    ("/account", "ANY /shop/{store}/account", "ShopAccountPages"),
)


@dataclass
class Page:
    status: int
    headers: dict[str, str]
    html: str
    cookies: dict[str, str]

    def csrf(self) -> str:
        found = re.search(r'name="csrf" value="([^"]+)"', self.html)
        assert found, "the page has no form with a CSRF token"
        return found.group(1)


def _route(path: str) -> tuple[str, str, dict[str, str]]:
    """The route API Gateway would match for `path`, its function and path parameters."""
    if path.startswith("/shop-assets/"):
        return "GET /shop-assets/{proxy+}", "ShopPages", {"proxy": path.removeprefix("/shop-assets/")}
    store, _, rest = path.removeprefix("/shop/").partition("/")
    for marker, route, function in PAGE_FUNCTIONS[1:]:
        section = marker.strip("/")
        if marker.endswith("/") and rest.startswith(section + "/") and rest != section + "/":
            return route, function, {"store": store, "proxy": rest.removeprefix(section + "/")}
        if not marker.endswith("/") and rest in (section, section + "/"):
            return route, function, {"store": store}
    if rest in ("", "/"):
        return "ANY /shop/{store}", "ShopPages", {"store": store}
    return "ANY /shop/{store}/{proxy+}", "ShopPages", {"store": store, "proxy": rest}


@dataclass
class Browser:
    """One shopper's cookies across requests to the page functions (no JavaScript)."""

    cloud: Cloud
    cookies: dict[str, str] = field(default_factory=dict)
    source_ip: str = "203.0.113.42"

    def request(self, method: str, path: str, form: dict[str, Any] | None = None, query: str = "") -> Page:
        route, function, params = _route(path)
        event = load_event("shop_product_page.json")
        event["routeKey"] = event["requestContext"]["routeKey"] = route
        event["rawPath"] = event["requestContext"]["http"]["path"] = path
        event["requestContext"]["http"]["method"] = method
        event["requestContext"]["http"]["sourceIp"] = self.source_ip
        event["pathParameters"] = params
        event["rawQueryString"] = query
        event.pop("queryStringParameters", None)
        if self.cookies:
            event["cookies"] = [f"{k}={v}" for k, v in self.cookies.items()]
        if form is not None:
            event["body"] = urlencode(form, doseq=True)
            event["headers"]["content-type"] = "application/x-www-form-urlencoded"
        response = self.cloud.invoke(function, event)
        body = response.get("body") or ""
        if response.get("isBase64Encoded"):
            body = base64.b64decode(body).decode("utf-8", "replace")
        set_now: dict[str, str] = {}
        for header in response.get("cookies", []):
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = set_now[name] = morsel.value
        return Page(response["statusCode"], dict(response.get("headers", {})), body, set_now)

    def get(self, path: str, query: str = "") -> Page:
        return self.request("GET", path, query=query)

    def post(self, path: str, form: dict[str, Any]) -> Page:
        return self.request("POST", path, form=form)
