"""What is missing or weak on one page, as search engines judge it. Pure and table-driven.

A page is a product, a blog post or a category, reduced to what the rules read (`Page`). Each rule is one row
of `RULES`: a code, its weight (the points it costs the page's score of 100) and a check returning the
message, or None when the page passes. Rules across pages (duplicate titles, links to unpublished items) are
in `site_issues`, which judges all pages at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

SEO_TITLE_MAX: Final = 60
DESCRIPTION_MIN: Final = 70  # a meta description shorter than this wastes the snippet
DESCRIPTION_MAX: Final = 160  # longer is cut off in results
THIN_WORDS: Final = 50  # a page's own text below this many words is thin content


@dataclass(frozen=True, slots=True)
class Page:
    kind: str  # "product", "post", "category"
    slug: str
    title: str
    seo_title: str
    meta_description: str
    text: str  # the page's own words, markup removed
    published: bool
    image_alts: tuple[str, ...] = ()
    category: str | None = None  # products only: their category's slug when it exists, else ""
    links: tuple[tuple[str, str], ...] = ()  # (kind, slug) of the store's pages this page links to

    @property
    def ref(self) -> tuple[str, str]:
        return (self.kind, self.slug)


@dataclass(frozen=True, slots=True)
class Issue:
    code: str
    weight: int
    message: str


Check = Callable[[Page], str | None]


def _no_seo_title(page: Page) -> str | None:
    return None if page.seo_title.strip() else "no SEO title: search results show the plain title"


def _seo_title_long(page: Page) -> str | None:
    n = len(page.seo_title)
    return f"SEO title has {n} characters; results cut it after {SEO_TITLE_MAX}" if n > SEO_TITLE_MAX else None


def _no_description(page: Page) -> str | None:
    return None if page.meta_description.strip() else "no meta description: search engines pick any text"


def _description_short(page: Page) -> str | None:
    n = len(page.meta_description.strip())
    return (
        f"meta description has {n} characters; aim for {DESCRIPTION_MIN}-{DESCRIPTION_MAX}"
        if 0 < n < DESCRIPTION_MIN
        else None
    )


def _description_long(page: Page) -> str | None:
    n = len(page.meta_description.strip())
    return (
        f"meta description has {n} characters; results cut it after {DESCRIPTION_MAX}" if n > DESCRIPTION_MAX else None
    )


def _thin(page: Page) -> str | None:
    n = len(page.text.split())
    return f"thin content: {n} words; write at least {THIN_WORDS}" if n < THIN_WORDS else None


def _alts(page: Page) -> str | None:
    missing = sum(1 for alt in page.image_alts if not alt.strip())
    return f"{missing} of {len(page.image_alts)} images have no alt text" if missing else None


def _no_category(page: Page) -> str | None:
    return (
        "no category: the product is reachable only by search" if page.kind == "product" and not page.category else None
    )


RULES: Final[tuple[tuple[str, int, Check], ...]] = (
    ("missing_seo_title", 20, _no_seo_title),
    ("seo_title_too_long", 5, _seo_title_long),
    ("missing_meta_description", 15, _no_description),
    ("meta_description_too_short", 5, _description_short),
    ("meta_description_too_long", 5, _description_long),
    ("thin_content", 15, _thin),
    ("images_without_alt", 10, _alts),
    ("no_category", 10, _no_category),
)
DUPLICATE_TITLE: Final = ("duplicate_title", 15)
LINKS_UNPUBLISHED: Final = ("links_unpublished", 15)


def page_issues(page: Page) -> list[Issue]:
    found = []
    for code, weight, check in RULES:
        message = check(page)
        if message is not None:
            found.append(Issue(code, weight, message))
    return found


def effective_title(page: Page) -> str:
    return " ".join((page.seo_title or page.title).lower().split())


def site_issues(pages: Sequence[Page]) -> dict[tuple[str, str], list[Issue]]:
    """Issues only the whole site shows: published pages sharing a title, published pages linking to pages
    that are not published (or not there)."""
    found: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    by_title: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        if page.published:
            by_title[effective_title(page)].append(page)
    for same in by_title.values():
        for page in same if len(same) > 1 else ():
            others = ", ".join(f"{p.kind} {p.slug}" for p in same if p is not page)
            found[page.ref].append(Issue(*DUPLICATE_TITLE, f"same title as {others}"))
    live = {p.ref for p in pages if p.published}
    for page in pages:
        dead = [f"{kind} {slug}" for kind, slug in page.links if (kind, slug) not in live]
        if page.published and dead:
            found[page.ref].append(Issue(*LINKS_UNPUBLISHED, f"links to unpublished {', '.join(sorted(dead))}"))
    return found
