"""The blog's pages: the list of published posts (newest first, paged) and one post with its Article JSON-LD.

A draft, or a post dated later, is the 404 page (the same reads the JSON routes make: blog.services).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse

from nozzly.blog.domain.markdown import plain_text, render_markdown
from nozzly.blog.domain.posts import cover_url, iso
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.shopfront.domain.seo import PageMeta, article, breadcrumbs, page_description, page_title, shorten
from nozzly.shopfront.web.rendering import render, storefront
from nozzly.shopfront.web.shop import Shop, shop_of

router = APIRouter(prefix="/shop/{store}")
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80)]
PostSlug = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80)]
Deps = Annotated[Shop, Depends(shop_of)]
PAGE = 12
EXCERPT = 180


@router.get("/blog", response_class=HTMLResponse)
def blog_list(
    store: StoreId, request: Request, shop: Deps, page: Annotated[str | None, Query(max_length=2048)] = None
) -> HTMLResponse:
    front = storefront(request, shop, store)
    posts, after = shop.blog().page(store, PAGE, page)
    url_for = shop.images().url
    cards = [
        {
            "title": p.title,
            "url": front.site.url(f"/blog/{p.slug}"),
            "date": iso(p.published_at)[:10],
            "excerpt": shorten(plain_text(p.body_markdown), EXCERPT),
            "cover": cover_url(p, url_for),
        }
        for p in posts
    ]
    meta = PageMeta(
        title=f"Blog · {front.store.name}",
        description=shorten(f"Guides, ideas and news from {front.store.name}."),
        canonical=front.site.absolute("/blog"),
        noindex=bool(page),  # later pages list the same posts' links; the first page is the one to index
    )
    older = front.site.url("/blog", page=after) if after else None
    return render(request, front, "blog_list.html", meta, posts=cards, older=older)


@router.get("/blog/{post}", response_class=HTMLResponse)
def blog_post(store: StoreId, post: PostSlug, request: Request, shop: Deps) -> HTMLResponse:
    front = storefront(request, shop, store)
    found = shop.blog().post(store, post)
    canonical = front.site.absolute(f"/blog/{found.slug}")
    cover = cover_url(found, shop.images().url)
    description = page_description(found.seo_description, plain_text(found.body_markdown), found.title)
    trail = [("Home", "/"), ("Blog", "/blog"), (found.title, f"/blog/{found.slug}")]
    published, modified = iso(found.published_at), iso(max(found.updated_at, found.published_at))
    meta = PageMeta(
        title=page_title(found.seo_title, found.title),
        description=description,
        canonical=canonical,
        image=cover,
        og_type="article",
        json_ld=[
            article(
                found.title,
                canonical,
                published=published,
                modified=modified,
                publisher=front.store.name,
                image=cover,
                description=description,
            ),
            breadcrumbs([(name, front.site.absolute(path)) for name, path in trail]),
        ],
    )
    return render(
        request,
        front,
        "blog_post.html",
        meta,
        post=found,
        body_html=render_markdown(found.body_markdown),
        cover=cover,
        date=published[:10],
        trail=trail,
    )
