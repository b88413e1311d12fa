"""Operators write a store's blog: list, create, read, change (versioned) and delete posts.

The store comes from the path and the caller from the verified token; services.tenancy decides (catalog.write:
every member who may edit products).
"""

from __future__ import annotations

from typing import Annotated

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Query, Request, Response

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler
from nozzly.blog.contracts import posts as c
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.wiring import blog

OPERATORS = Realm()
router = APIRouter(
    prefix="/admin/stores/{store}/blog/posts",
    tags=["blog"],
    responses={s: {"model": ErrorResponse} for s in (401, 403, 404, 409)},
)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
PostSlug = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The post's slug.")]


def _me(request: Request) -> str:
    return caller_from_claims(jwt_claims(request), OPERATORS).sub


@router.get("", response_model=c.PostList)
def list_blog_posts(
    store: StoreId,
    request: Request,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> c.PostList:
    """Every post, drafts too, by slug."""
    found, after = blog.blog_admin().list_posts(store, _me(request), limit, cursor)
    return c.PostList(items=[c.post_out(p, blog.image_url()) for p in found], next_cursor=after)


@router.post("", status_code=201, response_model=c.PostOut)
def create_blog_post(store: StoreId, body: c.PostIn, request: Request, response: Response) -> c.PostOut:
    created = blog.blog_admin().create(store, _me(request), body.fields())
    response.headers["location"] = f"/admin/stores/{store}/blog/posts/{created.slug}"
    return c.post_out(created, blog.image_url())


@router.get("/{post}", response_model=c.PostOut)
def get_blog_post(store: StoreId, post: PostSlug, request: Request) -> c.PostOut:
    return c.post_out(blog.blog_admin().get(store, _me(request), post), blog.image_url())


@router.patch("/{post}", response_model=c.PostOut)
def update_blog_post(store: StoreId, post: PostSlug, body: c.PostPatch, request: Request) -> c.PostOut:
    """Change the named fields; with `version`, only if the post is still at that version (else 409)."""
    changed = blog.blog_admin().update(store, _me(request), post, body.changes(), body.version)
    return c.post_out(changed, blog.image_url())


@router.delete("/{post}", status_code=204)
def delete_blog_post(store: StoreId, post: PostSlug, request: Request) -> Response:
    blog.blog_admin().delete(store, _me(request), post)
    return Response(status_code=204)


app = build_app("Nozzly blog admin", [router])
handler = http_handler(app)
