"""The storefront's blog (public): published posts newest first, and one post by its slug.

A draft, or a post dated later, is as absent as a post never written (404).
"""

from __future__ import annotations

from typing import Annotated

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Query, Response

from nozzly.api import build_app, http_handler
from nozzly.blog.contracts import posts as c
from nozzly.blog.domain.markdown import plain_text
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.wiring import blog

router = APIRouter(prefix="/stores/{store}/blog/posts", tags=["blog"], responses={404: {"model": ErrorResponse}})
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
PostSlug = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The post's slug.")]
CACHE = "public, max-age=60"
EXCERPT = 200


def _excerpt(markdown: str) -> str:
    text = plain_text(markdown)
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


@router.get("", response_model=c.PublicPostList, responses={400: {"model": ErrorResponse}})
def list_published_posts(
    store: StoreId,
    response: Response,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> c.PublicPostList:
    found, after = blog.blog_reading().page(store, limit, cursor)
    response.headers["cache-control"] = CACHE
    items = [c.summary_out(p, blog.image_url(), _excerpt(p.body_markdown)) for p in found]
    return c.PublicPostList(items=items, next_cursor=after)


@router.get("/{post}", response_model=c.PublicPostOut)
def get_published_post(store: StoreId, post: PostSlug, response: Response) -> c.PublicPostOut:
    found = blog.blog_reading().post(store, post)
    response.headers["cache-control"] = CACHE
    return c.public_post_out(found, blog.image_url())


app = build_app("Nozzly blog", [router])
handler = http_handler(app)
