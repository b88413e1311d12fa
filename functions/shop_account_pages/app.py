"""The shopper's account pages: sign up, log in, orders, addresses, reviews, as HTML for browsers."""

from __future__ import annotations

import nozzly.boot  # noqa: F401

from nozzly.api import http_handler
from nozzly.shopfront.web import account_address_pages, account_auth_pages, account_link_pages, account_pages
from nozzly.shopfront.web.app import build_pages
from nozzly.wiring import shopfront

app = build_pages(
    "Nozzly account pages",
    [account_auth_pages.router, account_pages.router, account_address_pages.router, account_link_pages.router],
    shopfront.shop(),
)
handler = http_handler(app)
