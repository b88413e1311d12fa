"""Supplier downloads refuse what could reach inside the network, whatever the redirects say, and oversize or
wrong-typed answers; a real loopback server plays the supplier (allowed only with the local cloud's setting)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from nozzly.imports.adapters.safe_download import SafeDownloader
from nozzly.imports.domain.download_rules import PRODUCT_IMAGE, PRODUCT_JSON, DownloadRefused, TransientError

pytestmark = pytest.mark.functional

ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/product.json": (200, {"Content-Type": "application/json; charset=utf-8"}, b'{"title": "Lamp"}'),
    "/moved": (302, {"Location": "/product.json"}, b""),
    "/to-metadata": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
    "/to-private": (301, {"Location": "http://10.0.0.7/admin"}, b""),
    "/loop": (302, {"Location": "/loop"}, b""),
    "/page": (200, {"Content-Type": "text/html"}, b"<html></html>"),
    "/huge.jpg": (200, {"Content-Type": "image/jpeg", "Content-Length": str(50 * 1024 * 1024)}, b""),
    "/busy": (503, {"Content-Type": "application/json"}, b"{}"),
}


class _Supplier(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        status, headers, body = ROUTES.get(self.path, (404, {}, b""))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def supplier() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Supplier)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


LOCAL = SafeDownloader(allow_loopback_http=True)


def test_a_supplier_document_is_downloaded_through_a_redirect(supplier: str) -> None:
    got = LOCAL.get(f"{supplier}/moved", PRODUCT_JSON)
    assert (got.url, got.content_type, got.body) == (
        f"{supplier}/product.json",
        "application/json",
        b'{"title": "Lamp"}',
    )


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/to-metadata", "169.254.169.254, a cloud metadata address"),
        ("/to-private", "10.0.0.7, a private or reserved address"),
        ("/loop", "more than 3 redirects"),
        ("/page", "sent text/html"),
        ("/huge.jpg", "52428800 bytes; at most 10485760"),
    ],
)
def test_what_could_reach_inside_or_overflow_is_refused(supplier: str, path: str, reason: str) -> None:
    limits = PRODUCT_IMAGE if path.endswith(".jpg") else PRODUCT_JSON
    with pytest.raises(DownloadRefused, match=reason):
        LOCAL.get(f"{supplier}{path}", limits)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/iam/", "a cloud metadata address"),
        ("https://[::ffff:127.0.0.1]/x", "a loopback address"),
        ("file:///etc/passwd", "must start with https://"),
    ],
)
def test_on_aws_settings_internal_addresses_are_refused_before_any_connection(url: str, reason: str) -> None:
    with pytest.raises(DownloadRefused, match=reason):
        SafeDownloader(allow_loopback_http=False).get(url, PRODUCT_JSON)


def test_loopback_is_refused_on_aws_settings(supplier: str) -> None:
    with pytest.raises(DownloadRefused, match="a loopback address"):
        SafeDownloader(allow_loopback_http=False).get(f"{supplier}/product.json", PRODUCT_JSON)


def test_a_busy_supplier_is_a_transient_error_to_retry(supplier: str) -> None:
    with pytest.raises(TransientError, match="HTTP 503"):
        LOCAL.get(f"{supplier}/busy", PRODUCT_JSON)
