"""A local supplier: product JSON documents and their images over http on loopback, for the product import.

What a dropshipping supplier's API serves: `GET /products/{sku}.json` (sku, title, description, features,
image URLs, cost, shipping, stock, weight) and `GET /images/{sku}-{n}.png` (a real PNG, drawn here, so the
import's decoding and WebP renditions run on it). For the SSRF proofs it also answers redirects to where a
download must never go: `/redirect/metadata` (the cloud metadata address) and `/redirect/private` (10.0.0.7).
A product whose title carries `nozzly:throttle` makes the local Bedrock peer throttle its copy. Product
research reads its feeds (CSV, JSON, Google Merchant XML) from `/feeds/...` (localcloud/supplier_feeds.py), and
every product they list is served as a document too, so a researched candidate can be imported.
"""

from __future__ import annotations

import io
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from localcloud.supplier_feeds import FEEDS, feed_products

PRODUCTS: dict[str, dict[str, Any]] = {
    "EL-100": {
        "title": "Ember Glass Table Lamp",
        "description": "A hand-blown amber glass lamp.\n\nWarm light for reading corners.",
        "features": ["E27 bulb", "1.5 m cable", "Hand-blown glass"],
        "images": 2,
        "cost": {"amount": 1000, "currency": "EUR"},
        "stock": 40,
        "weight_grams": 1200,
    },
    "TH-200": {
        "title": "Copper Forge Tankard nozzly:throttle",
        "description": "A hammered copper tankard.",
        "features": ["500 ml"],
        "images": 1,
        "cost": {"amount": 450, "currency": "EUR"},
        "stock": 12,
        "weight_grams": 400,
    },
}
# What `/products/{sku}.json` answers: the import tests' products and every product the feeds list.
CATALOGUE: dict[str, dict[str, Any]] = feed_products() | PRODUCTS
REDIRECTS = {
    "/redirect/metadata": "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "/redirect/private": "http://10.0.0.7/internal/products.json",
}
_IMAGE = re.compile(r"^/images/(?P<sku>[A-Z0-9-]+)-(?P<n>\d)\.png$")
_PRODUCT = re.compile(r"^/products/(?P<sku>[A-Z0-9-]+)\.json$")


def png(sku: str, n: int) -> bytes:
    """A 1200 x 900 picture, different per product and image (so renditions have something to reduce)."""
    from PIL import Image, ImageDraw

    shade = (sum(map(ord, sku)) * 37 + n * 71) % 200
    image = Image.new("RGB", (1200, 900), (shade, 90, 255 - shade))
    ImageDraw.Draw(image).ellipse((300, 150, 900, 750), fill=(255, 200, 80))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def document(sku: str, base_url: str) -> dict[str, Any]:
    p = CATALOGUE[sku]
    return {
        "sku": sku,
        **{k: v for k, v in p.items() if k != "images"},
        "images": [f"{base_url}/images/{sku}-{n}.png" for n in range(1, p["images"] + 1)],
    }


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str, location: str = "") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if location:
            self.send_header("Location", location)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        base = f"http://{self.headers.get('Host', '127.0.0.1')}"
        product, image = _PRODUCT.match(self.path), _IMAGE.match(self.path)
        if self.path in FEEDS:
            build, content_type = FEEDS[self.path]
            self._send(200, build(base), content_type)
        elif self.path in REDIRECTS:
            self._send(302, b"", "text/plain", REDIRECTS[self.path])
        elif product and product["sku"] in CATALOGUE:
            self._send(200, json.dumps(document(product["sku"], base)).encode(), "application/json")
        elif image and image["sku"] in CATALOGUE and 1 <= int(image["n"]) <= CATALOGUE[image["sku"]]["images"]:
            self._send(200, png(image["sku"], int(image["n"])), "image/png")
        else:
            self._send(404, b'{"error": "not found"}', "application/json")


def serve_in_thread(port: int = 0) -> ThreadingHTTPServer:
    """The supplier on 127.0.0.1 (port 0: any free one; read it from server_address)."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
    threading.Thread(target=server.serve_forever, name="supplier-peer", daemon=True).start()
    return server
