"""A blog post and the rules of changing one. Pure.

A post is addressed by its slug, unique per store (the slug is the item's key: a change of slug is a new key,
written in one transaction with the old key's delete). Every change is conditioned on the version read, as
the other operator PATCH routes are. A published post shows on the storefront once its publish date has come.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Final

from nozzly.kernel.domain.errors import Conflict, InvalidInput
from nozzly.kernel.domain.slugs import is_slug

TITLE_MAX: Final = 120
BODY_MAX: Final = 100_000  # characters of Markdown: a long article is ~20 000
SEO_TITLE_MAX: Final = 60
SEO_DESCRIPTION_MAX: Final = 160
COVER_MAX: Final = 1024
EDITABLE: Final = frozenset(
    {"title", "slug", "body_markdown", "cover_image", "seo_title", "seo_description", "status", "published_at"}
)


class PostStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


@dataclass(frozen=True, slots=True)
class BlogPost:
    store_id: str
    slug: str
    title: str
    body_markdown: str
    status: PostStatus = PostStatus.DRAFT
    cover_image: str = ""  # an image key in the store's images or an https URL
    seo_title: str = ""
    seo_description: str = ""
    published_at: int = 0  # epoch seconds; 0 while never published
    created_at: int = 0
    updated_at: int = 0
    version: int = 1
    author: str = ""  # the operator's sub, or "ai" for a drafted post
    keyword: str = ""  # what a drafted post was aimed at (the drafter never aims twice at one)

    def visible_at(self, now: float) -> bool:
        """On the storefront: published, and its publish date has come."""
        return self.status is PostStatus.PUBLISHED and 0 < self.published_at <= now


def _text(value: object, field: str, limit: int, *, required: bool = False) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise InvalidInput(f"{field} must not be empty", field=field)
    if len(text) > limit:
        raise InvalidInput(f"{field} has {len(text)} characters; at most {limit}", field=field)
    return text


def _cover(value: object, store_id: str) -> str:
    """An https URL, or a key of this store's own images (another store's key would show its picture)."""
    cover = str(value or "").strip()
    if len(cover) > COVER_MAX or any(c.isspace() for c in cover):
        raise InvalidInput("cover_image must be an image key or an https URL without spaces", field="cover_image")
    if "://" in cover and not cover.startswith("https://"):
        raise InvalidInput("cover_image URLs must be https", field="cover_image")
    if cover and "://" not in cover and (not cover.startswith(f"stores/{store_id}/") or ".." in cover):
        raise InvalidInput(f"cover_image keys start with stores/{store_id}/", field="cover_image")
    return cover


def _slug(value: object) -> str:
    slug = str(value or "")
    if not is_slug(slug):
        raise InvalidInput("slug must be lowercase letters, digits and single hyphens (80 at most)", field="slug")
    return slug


def _body(value: object) -> str:
    body = str(value or "")
    if len(body) > BODY_MAX:
        raise InvalidInput(f"body_markdown has {len(body)} characters; at most {BODY_MAX}", field="body_markdown")
    return body


def new_post(store_id: str, fields: Mapping[str, object], author: str, now: int) -> BlogPost:
    """A new post from an operator's fields; a published one without a date is published now."""
    status = PostStatus(str(fields.get("status") or PostStatus.DRAFT))
    post = BlogPost(
        store_id=store_id,
        slug=_slug(fields.get("slug")),
        title=_text(fields.get("title"), "title", TITLE_MAX, required=True),
        body_markdown=_body(fields.get("body_markdown")),
        status=status,
        cover_image=_cover(fields.get("cover_image"), store_id),
        seo_title=_text(fields.get("seo_title"), "seo_title", SEO_TITLE_MAX),
        seo_description=_text(fields.get("seo_description"), "seo_description", SEO_DESCRIPTION_MAX),
        published_at=_published_at(status, fields.get("published_at"), 0, now),
        created_at=now,
        updated_at=now,
        author=author,
    )
    return post


def _published_at(status: PostStatus, given: object, before: int, now: int) -> int:
    if given is not None and given != "":
        at = int(str(given))
        if at <= 0:
            raise InvalidInput("published_at must be a positive epoch second", field="published_at")
        return at
    if status is PostStatus.PUBLISHED:
        return before or now  # published again later keeps its first date
    return before


def changed(post: BlogPost, changes: Mapping[str, object], expected_version: int | None, now: int) -> BlogPost:
    """The post after an operator's PATCH; Conflict when it was changed since the version the caller read."""
    if expected_version is not None and expected_version != post.version:
        raise Conflict(f"the post is at version {post.version}, not {expected_version}", field="version")
    unknown = set(changes) - EDITABLE
    if unknown:
        raise InvalidInput(f"cannot change {sorted(unknown)}", field=sorted(unknown)[0])
    after = post
    if "title" in changes:
        after = replace(after, title=_text(changes["title"], "title", TITLE_MAX, required=True))
    if "slug" in changes:
        after = replace(after, slug=_slug(changes["slug"]))
    if "body_markdown" in changes:
        after = replace(after, body_markdown=_body(changes["body_markdown"]))
    if "cover_image" in changes:
        after = replace(after, cover_image=_cover(changes["cover_image"], post.store_id))
    if "seo_title" in changes:
        after = replace(after, seo_title=_text(changes["seo_title"], "seo_title", SEO_TITLE_MAX))
    if "seo_description" in changes:
        after = replace(
            after, seo_description=_text(changes["seo_description"], "seo_description", SEO_DESCRIPTION_MAX)
        )
    if "status" in changes:
        after = replace(after, status=PostStatus(str(changes["status"])))
    if "status" in changes or "published_at" in changes:
        given = changes.get("published_at")
        after = replace(after, published_at=_published_at(after.status, given, post.published_at, now))
    if after == post:
        return post
    return replace(after, version=post.version + 1, updated_at=now)


def iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def cover_url(post: BlogPost, url_for: Callable[[str], str]) -> str | None:
    """The cover's address: an https URL as written, an image key through the store's image URLs."""
    if not post.cover_image:
        return None
    return post.cover_image if post.cover_image.startswith("https://") else url_for(post.cover_image)
