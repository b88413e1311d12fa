"""Public storefront read path: store, categories, brands, products, search, related products, sitemap, robots.

Each route is one DynamoDB call (tests/functional/test_storefront_dynamodb_calls.py counts them).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Query, Request, Response

from nozzly.api import build_app, http_handler
from nozzly.catalog.contracts.storefront import (
    CategoryList,
    ProductOut,
    ProductPage,
    RelatedProducts,
    SearchResults,
    StoreBrandList,
    StoreOut,
    brand_out,
    category_out,
    product_out,
    product_summary_out,
    search_hit_out,
    store_out,
)
from nozzly.kernel.domain.errors import InvalidInput, NotFound
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.wiring import catalog

router = APIRouter(prefix="/stores/{store}")
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
ProductSlug = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80)]
CACHE = "public, max-age=60"
SORTS = ("title", "newest", "price_asc", "price_desc")
SITEMAP_PRODUCTS = 10_000  # what one read can return at most; a 1 MB read usually ends it sooner
RELATED_CANDIDATES = 24


def _base_url(request: Request) -> str:
    """The API's public base URL as API Gateway saw the request: https on AWS, the stage path unless $default."""
    context = (request.scope.get("aws.event") or {}).get("requestContext", {})
    host = str(context.get("domainName") or request.headers.get("host") or "localhost")
    loopback = host.split(":", maxsplit=1)[0] in ("127.0.0.1", "localhost")
    scheme = request.headers.get("x-forwarded-proto") or ("http" if loopback else "https")
    stage = context.get("stage")
    return f"{scheme}://{host}" + ("" if stage in (None, "$default") else f"/{stage}")


@router.get("", response_model=StoreOut)
def get_store(store: StoreId, response: Response) -> StoreOut:
    response.headers["cache-control"] = CACHE
    return store_out(catalog.storefront_reads().stores.get(store))


@router.get("/categories", response_model=CategoryList)
def list_categories(store: StoreId, response: Response) -> CategoryList:
    response.headers["cache-control"] = CACHE
    deps = catalog.storefront_reads()
    return CategoryList(items=[category_out(c, deps.images.url) for c in deps.catalog.list_categories(store)])


@router.get("/brands", response_model=StoreBrandList)
def list_brands(store: StoreId, response: Response) -> StoreBrandList:
    response.headers["cache-control"] = CACHE
    deps = catalog.storefront_reads()
    return StoreBrandList(items=[brand_out(b, deps.images.url) for b in deps.catalog.list_brands(store)])


@router.get("/products", response_model=ProductPage)
def list_products(
    store: StoreId,
    response: Response,
    *,
    category: Annotated[
        str | None, Query(pattern=SLUG_PATTERN, max_length=80, description="This category and its subcategories.")
    ] = None,
    brand: Annotated[str | None, Query(pattern=SLUG_PATTERN, max_length=80, description="A brand's slug.")] = None,
    price_min: Annotated[int | None, Query(ge=0, le=10**12 - 1, description="Minor units, inclusive.")] = None,
    price_max: Annotated[int | None, Query(ge=0, le=10**12 - 1, description="Minor units, inclusive.")] = None,
    in_stock: Annotated[bool, Query(description="Only products with stock available now.")] = False,
    sort: Annotated[str, Query(pattern="^(" + "|".join(SORTS) + ")$", description="Order of the listing.")] = "title",
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 24,
) -> ProductPage:
    from nozzly.catalog.adapters.catalog import Listing
    from nozzly.catalog.adapters.catalog_listing import Sort

    if price_min is not None and price_max is not None and price_min > price_max:
        raise InvalidInput("price_max must not be below price_min", field="price_max")
    deps = catalog.storefront_reads()
    listing = Listing(Sort(sort), category, brand, price_min, price_max, in_stock)
    page = deps.catalog.list_products(store, listing, cursor=cursor, limit=limit)
    response.headers["cache-control"] = CACHE
    return ProductPage(
        items=[product_summary_out(p, deps.images.url) for p in page.products], next_cursor=page.next_cursor
    )


@router.get("/products/{product}", response_model=ProductOut)
def get_product(store: StoreId, product: ProductSlug, request: Request, response: Response) -> ProductOut:
    deps = catalog.storefront_reads()
    found = deps.catalog.get_product(store, product)
    if not found.is_published:
        raise NotFound(f"product {product!r} not found", field="product")
    response.headers["cache-control"] = CACHE
    path = f"/stores/{store}/products/{product}"
    query = {"category": found.category} | ({"tags": ",".join(found.tags)} if found.tags else {})
    return product_out(
        found, deps.images.url, url=_base_url(request) + path, related_url=f"{path}/related?{urlencode(query)}"
    )


@router.get("/products/{product}/related", response_model=RelatedProducts)
def related_products(
    store: StoreId,
    product: ProductSlug,
    response: Response,
    *,
    category: Annotated[str, Query(pattern=SLUG_PATTERN, max_length=80, description="The product's category.")],
    tags: Annotated[str, Query(max_length=1000, description="The product's tags, comma-separated.")] = "",
    limit: Annotated[int, Query(ge=1, le=12)] = 4,
) -> RelatedProducts:
    """The product's category page (one Query), those sharing the most tags first; the product itself left out.

    The product's detail names this URL with its category and tags filled in, so no second read is needed.
    """
    from nozzly.catalog.domain.related import rank_related

    deps = catalog.storefront_reads()
    candidates = deps.catalog.category_page(store, category, RELATED_CANDIDATES)
    ranked = rank_related(candidates, product, tags.split(","), limit)
    response.headers["cache-control"] = CACHE
    return RelatedProducts(items=[product_summary_out(p, deps.images.url) for p in ranked])


@router.get("/search", response_model=SearchResults)
def search(
    store: StoreId,
    response: Response,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Words, word beginnings or a SKU.")],
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> SearchResults:
    from nozzly.search.services.storefront_search import run

    deps = catalog.storefront_reads()
    tokens, hits = run(deps.search, store, q, limit)
    response.headers["cache-control"] = CACHE
    return SearchResults(
        query=q, tokens=tokens, items=[search_hit_out(h.slug, h.card, h.matched, deps.images.url) for h in hits]
    )


@router.get("/sitemap.xml", response_class=Response, responses={200: {"content": {"application/xml": {}}}})
def sitemap(store: StoreId, request: Request) -> Response:
    from nozzly.catalog.domain.seo import SitemapUrl, sitemap_xml

    entries, _ = catalog.storefront_reads().catalog.sitemap_entries(store, SITEMAP_PRODUCTS)
    base = f"{_base_url(request)}/stores/{store}"
    urls = [SitemapUrl(base), *(SitemapUrl(f"{base}/products/{e.slug}", e.created_at) for e in entries)]
    return Response(sitemap_xml(urls), media_type="application/xml", headers={"cache-control": "public, max-age=3600"})


@router.get("/robots.txt", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
def robots(store: StoreId, request: Request) -> Response:
    from nozzly.catalog.domain.seo import robots_txt

    found = catalog.storefront_reads().stores.get(
        store
    )  # 404 for an unknown or closed store, like every storefront route
    path = f"/stores/{found.store_id}"
    text = robots_txt(path, f"{_base_url(request)}{path}/sitemap.xml")
    return Response(text, media_type="text/plain", headers={"cache-control": "public, max-age=3600"})


app = build_app("Nozzly storefront catalog", [router])
handler = http_handler(app)
