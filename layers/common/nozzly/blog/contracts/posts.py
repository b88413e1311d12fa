"""Blog posts over HTTP: operators' bodies and answers, and what the storefront's JSON routes send."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from nozzly.blog.domain.markdown import render_markdown
from nozzly.blog.domain.posts import (
    BODY_MAX,
    COVER_MAX,
    SEO_DESCRIPTION_MAX,
    SEO_TITLE_MAX,
    TITLE_MAX,
    BlogPost,
    cover_url,
    iso,
)
from nozzly.kernel.domain.slugs import SLUG_PATTERN

_CLOSED = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently ignored
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80, description="Unique in the store; the URL's.")]
Title = Annotated[str, Field(min_length=1, max_length=TITLE_MAX)]
Body = Annotated[str, Field(max_length=BODY_MAX, description="Markdown (CommonMark; raw HTML is shown as text).")]
Cover = Annotated[
    str,
    Field(max_length=COVER_MAX, description="An https URL, or a key of the store's own images (stores/{store}/...)."),
]
SeoTitle = Annotated[str, Field(max_length=SEO_TITLE_MAX)]
SeoDescription = Annotated[str, Field(max_length=SEO_DESCRIPTION_MAX)]
Status = Literal["draft", "published"]
PublishedAt = Annotated[
    int, Field(gt=0, le=10**10, description="Epoch seconds; a published post shows from then on (default: now).")
]
Version = Annotated[int, Field(ge=0, le=10**15, description="If given, the change applies only to this version.")]


class PostIn(BaseModel):
    model_config = _CLOSED

    title: Title
    slug: Slug
    body_markdown: Body = ""
    cover_image: Cover = ""
    seo_title: SeoTitle = ""
    seo_description: SeoDescription = ""
    status: Status = "draft"
    published_at: PublishedAt | None = None

    def fields(self) -> dict[str, Any]:
        return self.model_dump()


class PostPatch(BaseModel):
    model_config = _CLOSED

    title: Title | None = None
    slug: Slug | None = None
    body_markdown: Body | None = None
    cover_image: Cover | None = None
    seo_title: SeoTitle | None = None
    seo_description: SeoDescription | None = None
    status: Status | None = None
    published_at: PublishedAt | None = None
    version: Version | None = None

    @field_validator("title", "slug", "body_markdown", "cover_image", "seo_title", "seo_description", "status")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError('cannot be null (send "" to clear a text)')
        return value

    def changes(self) -> dict[str, Any]:
        return {n: getattr(self, n) for n in self.model_fields_set if n != "version"}


class PostOut(BaseModel):
    slug: str
    title: str
    status: Status
    body_markdown: str
    body_html: str = Field(description="The Markdown rendered and sanitised: what the storefront shows.")
    cover_image: str
    cover_image_url: str | None
    seo_title: str
    seo_description: str
    published_at: str | None = Field(description="ISO 8601, UTC; null while never published.")
    created_at: str
    updated_at: str
    version: int
    author: str = Field(description='The operator who created it, or "ai" for a weekly AI draft.')
    keyword: str = Field(description="The search keyword an AI draft was aimed at; empty otherwise.")


class PostList(BaseModel):
    items: list[PostOut]
    next_cursor: str | None = None


class PublicPostOut(BaseModel):
    slug: str
    title: str
    body_html: str
    cover_image_url: str | None
    seo_title: str
    seo_description: str
    published_at: str


class PublicPostSummary(BaseModel):
    slug: str
    title: str
    excerpt: str
    cover_image_url: str | None
    published_at: str


class PublicPostList(BaseModel):
    items: list[PublicPostSummary]
    next_cursor: str | None = None


def post_out(post: BlogPost, url_for: Callable[[str], str]) -> PostOut:
    return PostOut(
        slug=post.slug,
        title=post.title,
        status=post.status.value,
        body_markdown=post.body_markdown,
        body_html=render_markdown(post.body_markdown),
        cover_image=post.cover_image,
        cover_image_url=cover_url(post, url_for),
        seo_title=post.seo_title,
        seo_description=post.seo_description,
        published_at=iso(post.published_at) if post.published_at else None,
        created_at=iso(post.created_at),
        updated_at=iso(post.updated_at),
        version=post.version,
        author=post.author,
        keyword=post.keyword,
    )


def public_post_out(post: BlogPost, url_for: Callable[[str], str]) -> PublicPostOut:
    return PublicPostOut(
        slug=post.slug,
        title=post.title,
        body_html=render_markdown(post.body_markdown),
        cover_image_url=cover_url(post, url_for),
        seo_title=post.seo_title,
        seo_description=post.seo_description,
        published_at=iso(post.published_at),
    )


def summary_out(post: BlogPost, url_for: Callable[[str], str], excerpt: str) -> PublicPostSummary:
    return PublicPostSummary(
        slug=post.slug,
        title=post.title,
        excerpt=excerpt,
        cover_image_url=cover_url(post, url_for),
        published_at=iso(post.published_at),
    )
