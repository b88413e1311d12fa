"""Browsing: the home page, the sitemap and robots rules of the pages; the static files; the 404 page for any other
path (product, listing and search pages have their own modules)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, Response

from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.shopfront.domain.seo import PageMeta, organization, shop_robots, shorten
from nozzly.shopfront.web import assets
from nozzly.shopfront.web.catalog_views import card_of
from nozzly.shopfront.web.rendering import render, storefront
from nozzly.shopfront.web.shop import Shop, shop_of

router = APIRouter(prefix="/shop/{store}")
static = APIRouter()
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80)]
Deps = Annotated[Shop, Depends(shop_of)]
HOME_PRODUCTS = 8
SITEMAP_PRODUCTS = 10_000  # as the JSON sitemap: what one read can return at most
CRAWLER_CACHE = "public, max-age=3600"


@router.get("", response_class=HTMLResponse)
@router.get("/", response_class=HTMLResponse)
def home(store: StoreId, request: Request, shop: Deps) -> HTMLResponse:
    from nozzly.catalog.adapters.catalog import Listing
    from nozzly.catalog.adapters.catalog_listing import Sort
    from nozzly.catalog.contracts.storefront import product_summary_out

    front = storefront(request, shop, store)
    categories = [c for c in shop.catalog().list_categories(store) if c.parent is None]
    listing = Listing(Sort("newest"), None, None, None, None, False)
    page = shop.catalog().list_products(store, listing, cursor=None, limit=HOME_PRODUCTS)
    products = [card_of(product_summary_out(p, shop.images().url)) for p in page.products]
    meta = PageMeta(
        title=front.store.name,
        description=shorten(front.store.description or f"Shop {front.store.name} online."),
        canonical=front.site.absolute("/"),
        json_ld=[organization(front.store.name, front.site.absolute("/"), front.branding.get("logo_url"))],
    )
    return render(request, front, "home.html", meta, categories=categories, products=products)


@router.get("/sitemap.xml")
def sitemap(store: StoreId, request: Request, shop: Deps) -> Response:
    """The pages a search engine should know: home, all products, each category and product, the blog's posts."""
    from nozzly.catalog.domain.seo import SitemapUrl, sitemap_xml
    from nozzly.shopfront.web.site import site_of

    site = site_of(request, store)
    shop.stores().get(store)  # 404 for a closed store, as its pages
    entries, _ = shop.catalog().sitemap_entries(store, SITEMAP_PRODUCTS)
    categories = shop.catalog().list_categories(store)
    urls = [
        SitemapUrl(site.absolute("/")),
        SitemapUrl(site.absolute("/products")),
        *(SitemapUrl(site.absolute(f"/categories/{c.slug}")) for c in categories),
        *(SitemapUrl(site.absolute(f"/products/{e.slug}"), e.created_at) for e in entries),
    ]
    posts = shop.blog().sitemap(store)
    if posts:
        urls.append(SitemapUrl(site.absolute("/blog")))
        urls += [SitemapUrl(site.absolute(f"/blog/{p.slug}"), max(p.updated_at, p.published_at)) for p in posts]
    return Response(sitemap_xml(urls), media_type="application/xml", headers={"cache-control": CRAWLER_CACHE})


@router.get("/robots.txt")
def robots(store: StoreId, request: Request, shop: Deps) -> Response:
    from nozzly.catalog.domain.seo import robots_txt
    from nozzly.shopfront.web.site import site_of

    shop.stores().get(store)  # 404 for an unknown or closed store
    site = site_of(request, store)
    text = shop_robots(robots_txt(site.base, site.absolute("/sitemap.xml")), site.base)
    return Response(text, media_type="text/plain", headers={"cache-control": CRAWLER_CACHE})


@static.get("/shop-assets/{name:path}")
def asset(name: str) -> Response:
    found = assets.asset(name)
    if found is None:
        return Response("not found", status_code=404, media_type="text/plain", headers={"cache-control": "no-store"})
    body, media_type = found
    return Response(body, media_type=media_type, headers={"cache-control": assets.IMMUTABLE})
