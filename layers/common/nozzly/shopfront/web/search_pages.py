"""Search: the results page and the suggestions the search box offers while typing (the same search service as
GET /stores/{store}/search)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse

from nozzly.catalog.contracts.storefront import search_hit_out
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.search.services.storefront_search import run
from nozzly.shopfront.domain.seo import PageMeta
from nozzly.shopfront.web.catalog_views import card_of
from nozzly.shopfront.web.rendering import render, storefront
from nozzly.shopfront.web.shop import Shop, shop_of

router = APIRouter(prefix="/shop/{store}")
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80)]
Deps = Annotated[Shop, Depends(shop_of)]
RESULTS = 24
SUGGESTIONS = 8
MAX_QUERY = 200  # as the JSON search route


@router.get("/search", response_class=HTMLResponse)
def search_page(store: StoreId, request: Request, shop: Deps) -> HTMLResponse:
    front = storefront(request, shop, store)
    q = (request.query_params.get("q") or "").strip()
    meta = PageMeta(title=f"Search: {q}" if q else "Search", noindex=True)
    if not q:
        return render(request, front, "search.html", meta, query="", results=None, problem=None)
    if len(q) > MAX_QUERY:
        problem = f"Please search with fewer words (at most {MAX_QUERY} characters)."
        return render(
            request, front, "search.html", meta, status=400, query=q[:MAX_QUERY], results=None, problem=problem
        )
    try:
        _, hits = run(shop.search(), store, q, RESULTS)
    except InvalidInput:
        problem = "Please search for a word of two or more letters or digits."
        return render(request, front, "search.html", meta, status=400, query=q, results=None, problem=problem)
    url_for = shop.images().url
    results = [card_of(search_hit_out(h.slug, h.card, h.matched, url_for)) for h in hits]
    return render(request, front, "search.html", meta, query=q, results=results, problem=None)


@router.get("/search/suggest")
def suggest(store: StoreId, request: Request, shop: Deps) -> JSONResponse:
    """Product titles for the search box's datalist; a query without a searchable word suggests nothing."""
    q = (request.query_params.get("q") or "").strip()
    titles: list[str] = []
    if q and len(q) <= MAX_QUERY:
        try:
            _, hits = run(shop.search(), store, q, SUGGESTIONS)
        except InvalidInput:
            hits = []
        titles = list(dict.fromkeys(h.card.title for h in hits))[:SUGGESTIONS]
    return JSONResponse({"suggestions": titles}, headers={"cache-control": "public, max-age=60"})
