"""Operators write a store's blog (catalog.write: every member who may edit products may edit posts).

Every call checks the caller first (services.tenancy), so a non-member learns nothing. A change is applied to
the version read and written on that version: a concurrent change makes it a 409 naming the version, as the
other operator PATCH routes do, and a retried request that already applied changes nothing twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from nozzly.blog.adapters.posts import PostsRepository
from nozzly.blog.domain.posts import BlogPost, changed, new_post
from nozzly.kernel.adapters.unit_of_work import Transaction, WriteConflict
from nozzly.kernel.domain.errors import Conflict, NotFound
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services.tenancy import require

MAX_PAGE = 100


@dataclass(frozen=True)
class BlogAdmin:
    members: MembersRepository
    posts: PostsRepository
    clock: Callable[[], float] = field(default=time.time)

    def list_posts(
        self, store_id: str, caller: str, limit: int, cursor: str | None
    ) -> tuple[list[BlogPost], str | None]:
        require(self.members, store_id, caller, Action.CATALOG_WRITE)
        return self.posts.page(store_id, min(limit, MAX_PAGE), cursor)

    def get(self, store_id: str, caller: str, slug: str) -> BlogPost:
        require(self.members, store_id, caller, Action.CATALOG_WRITE)
        return self._existing(store_id, slug)

    def create(self, store_id: str, caller: str, fields: Mapping[str, object]) -> BlogPost:
        require(self.members, store_id, caller, Action.CATALOG_WRITE)
        post = new_post(store_id, fields, caller, int(self.clock()))
        try:
            Transaction().add("post", self.posts.created_op(post)).commit()
        except WriteConflict:
            raise Conflict(f"the store already has a post {post.slug!r}", field="slug") from None
        return post

    def update(
        self, store_id: str, caller: str, slug: str, changes: Mapping[str, object], version: int | None
    ) -> BlogPost:
        require(self.members, store_id, caller, Action.CATALOG_WRITE)
        before = self._existing(store_id, slug)
        after = changed(before, changes, version, int(self.clock()))
        if after is before:
            return before
        try:
            Transaction().add("post", *self.posts.replaced_ops(before, after)).commit()
        except WriteConflict:
            if after.slug != before.slug and self.posts.get(store_id, after.slug) is not None:
                raise Conflict(f"the store already has a post {after.slug!r}", field="slug") from None
            raise Conflict("the post changed meanwhile; read it again", field="version") from None
        return after

    def delete(self, store_id: str, caller: str, slug: str) -> None:
        require(self.members, store_id, caller, Action.CATALOG_WRITE)
        post = self._existing(store_id, slug)
        try:
            Transaction().add("post", self.posts.deleted_op(post)).commit()
        except WriteConflict:
            if self.posts.get(store_id, slug) is None:
                return  # deleted meanwhile (a retry): gone either way
            raise Conflict("the post changed meanwhile; read it again", field="version") from None

    def _existing(self, store_id: str, slug: str) -> BlogPost:
        found = self.posts.get(store_id, slug)
        if found is None:
            raise NotFound(f"no post {slug!r}", field="post")
        return found
