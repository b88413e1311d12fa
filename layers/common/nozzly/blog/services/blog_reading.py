"""What shoppers and crawlers read of a store's blog: published posts whose date has come, newest first."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.blog.adapters.posts import PostsRepository
from nozzly.blog.domain.posts import BlogPost
from nozzly.kernel.domain.errors import NotFound
from nozzly.stores.adapters.stores import StoresRepository

MAX_PAGE = 50
SITEMAP_POSTS = 1000  # the newest; a store writing more than weekly has years of posts in its sitemap


@dataclass(frozen=True)
class BlogReading:
    stores: StoresRepository
    posts: PostsRepository
    clock: Callable[[], float] = field(default=time.time)

    def page(self, store_id: str, limit: int, cursor: str | None) -> tuple[list[BlogPost], str | None]:
        self.stores.get(store_id)  # 404 for an unknown or closed store
        return self.posts.published(store_id, int(self.clock()), min(limit, MAX_PAGE), cursor)

    def post(self, store_id: str, slug: str) -> BlogPost:
        self.stores.get(store_id)
        found = self.posts.get(store_id, slug, consistent=False)
        if found is None or not found.visible_at(self.clock()):
            raise NotFound(f"no post {slug!r}", field="post")  # a draft is as absent as a post never written
        return found

    def sitemap(self, store_id: str) -> list[BlogPost]:
        """The store's published posts for its sitemap (the caller has read the store already)."""
        posts, _ = self.posts.published(store_id, int(self.clock()), SITEMAP_POSTS, None)
        return posts
