"""The shop's cart, checkout and order confirmation pages, as HTML for browsers."""

from __future__ import annotations

import nozzly.boot  # noqa: F401

from nozzly.api import http_handler
from nozzly.shopfront.web.app import build_pages
from nozzly.shopfront.web.cart_pages import router as cart
from nozzly.shopfront.web.checkout_pages import router as checkout
from nozzly.wiring import shopfront

app = build_pages("Nozzly cart and checkout pages", [cart, checkout], shopfront.shop())
handler = http_handler(app)
