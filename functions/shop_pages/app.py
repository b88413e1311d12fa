"""The shop's browsing pages (home, categories, search, products, blog) and their static files, as HTML for browsers."""

from __future__ import annotations

import nozzly.boot  # noqa: F401

from nozzly.api import http_handler
from nozzly.shopfront.web.app import build_pages
from nozzly.shopfront.web.blog_pages import router as blog
from nozzly.shopfront.web.catalog_pages import router, static
from nozzly.shopfront.web.listing_pages import router as listings
from nozzly.shopfront.web.product_pages import router as products
from nozzly.shopfront.web.search_pages import router as searches
from nozzly.wiring import shopfront

app = build_pages("Nozzly shop pages", [static, products, listings, searches, blog, router], shopfront.shop())
handler = http_handler(app)
