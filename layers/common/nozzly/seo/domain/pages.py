"""The store's products and blog posts as the pages the SEO rules judge. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

import nh3

from nozzly.blog.domain.markdown import plain_text
from nozzly.blog.domain.posts import BlogPost
from nozzly.catalog.domain.catalog import Category, Product
from nozzly.seo.domain.rules import Page

# Links to the store's own pages, absolute or relative: …/products/{slug}, …/blog/{slug}
# (categories are not pages the report judges, so a link to one is never counted as a link to an unpublished page)
_LINK: Final = re.compile(r"/(products|blog)/([a-z0-9]+(?:-[a-z0-9]+)*)")
_KIND: Final = {"products": "product", "blog": "post"}


def links_in(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted({(_KIND[m.group(1)], m.group(2)) for m in _LINK.finditer(text)}))


def _plain(markup: str) -> str:
    return " ".join(nh3.clean(markup, tags=set()).split())


def product_page(product: Product, live_categories: set[str]) -> Page:
    return Page(
        kind="product",
        slug=product.slug,
        title=product.title,
        seo_title=product.seo_title,
        meta_description=product.seo_description,
        text=_plain(product.description),
        published=product.is_published,
        image_alts=tuple(i.alt for i in product.images),
        category=product.category if product.category in live_categories else "",
        links=links_in(product.description),
    )


def post_page(post: BlogPost, now: float) -> Page:
    return Page(
        kind="post",
        slug=post.slug,
        title=post.title,
        seo_title=post.seo_title,
        meta_description=post.seo_description,
        text=plain_text(post.body_markdown),
        published=post.visible_at(now),
        image_alts=(),
        links=links_in(post.body_markdown),
    )


def site_pages(
    products: Iterable[Product], posts: Iterable[BlogPost], categories: Iterable[Category], now: float
) -> list[Page]:
    """Products (not deleted) and posts; categories are the store's product lists, judged by their products."""
    slugs = {c.slug for c in categories if not c.deleted}
    return [*(product_page(p, slugs) for p in products if not p.deleted), *(post_page(p, now) for p in posts)]
