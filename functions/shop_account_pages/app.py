"""The shopper's account pages: sign up, log in, orders, addresses, reviews, as HTML for browsers."""

from __future__ import annotations

from nozzly.api import http_handler
from nozzly.shopfront.web.account_pages import router
from nozzly.shopfront.web.app import build_pages
from nozzly.wiring import shopfront

app = build_pages("Nozzly account pages", [router], shopfront.shop())
handler = http_handler(app)
