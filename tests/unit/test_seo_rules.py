"""The SEO rules, table-driven: each row is a page and the issue codes it must (and only) show."""

from __future__ import annotations

from dataclasses import replace

import pytest

from nozzly.seo.domain.report import TOP_FIXES, build_report, score_of
from nozzly.seo.domain.rules import Page, page_issues, site_issues

WORDS = " ".join(["word"] * 60)
GOOD = Page(
    kind="product",
    slug="lamp",
    title="Brass Lamp",
    seo_title="Brass Desk Lamp | Lantern & Loom",
    meta_description="A solid brass desk lamp with a warm glow, an adjustable arm and a weighted base for any desk.",
    text=WORDS,
    published=True,
    image_alts=("Brass lamp, front",),
    category="decor",
)


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({}, []),
        ({"seo_title": ""}, ["missing_seo_title"]),
        ({"seo_title": "x" * 61}, ["seo_title_too_long"]),
        ({"meta_description": ""}, ["missing_meta_description"]),
        ({"meta_description": "Too short."}, ["meta_description_too_short"]),
        ({"meta_description": "x" * 161}, ["meta_description_too_long"]),
        ({"text": "Nice lamp."}, ["thin_content"]),
        ({"image_alts": ("ok", " ")}, ["images_without_alt"]),
        ({"category": ""}, ["no_category"]),
        ({"kind": "post", "category": None}, []),  # a post has no category to miss
        ({"seo_title": "", "category": ""}, ["missing_seo_title", "no_category"]),
    ],
)
def test_page_rules(changes: dict[str, object], codes: list[str]) -> None:
    assert [i.code for i in page_issues(replace(GOOD, **changes))] == codes  # type: ignore[arg-type]


def test_published_pages_sharing_a_title_are_each_flagged_and_drafts_are_not() -> None:
    twin = replace(GOOD, slug="lamp-2")
    draft = replace(GOOD, slug="lamp-3", published=False)
    found = site_issues([GOOD, twin, draft])
    assert [i.code for i in found[("product", "lamp")]] == ["duplicate_title"]
    assert "lamp-2" in found[("product", "lamp")][0].message
    assert ("product", "lamp-3") not in found


def test_a_published_page_linking_to_an_unpublished_or_missing_one_is_flagged() -> None:
    post = replace(
        GOOD, kind="post", slug="guide", seo_title="Guide", links=(("product", "lamp-3"), ("product", "lamp"))
    )
    draft = replace(GOOD, slug="lamp-3", seo_title="Other", published=False)
    found = site_issues([GOOD, post, draft])
    assert [i.code for i in found[("post", "guide")]] == ["links_unpublished"]
    assert "product lamp-3" in found[("post", "guide")][0].message
    assert ("product", "lamp") not in found


def test_scores_the_store_and_ranks_the_five_heaviest_fixes_of_published_pages() -> None:
    pages = [
        GOOD,
        replace(GOOD, slug="a", seo_title="A", category=""),  # -10
        replace(GOOD, slug="b", seo_title="", title="B", text="thin"),  # -20 -15
        replace(GOOD, slug="c", seo_title="C", meta_description=""),  # -15
        replace(GOOD, slug="d", seo_title="D", image_alts=("",)),  # -10
        replace(GOOD, slug="e", seo_title="", title="E", published=False),  # not counted, not a fix
    ]
    report = build_report("shop", pages, 1)
    assert report.score == round((100 + 90 + 65 + 85 + 90) / 5)
    assert [(f.slug, f.code) for f in report.top_fixes] == [
        ("b", "missing_seo_title"),
        ("b", "thin_content"),
        ("c", "missing_meta_description"),
        ("a", "no_category"),
        ("d", "images_without_alt"),
    ]
    assert len(report.top_fixes) == TOP_FIXES
    assert report.pages[0].slug == "b" and report.pages_with_issues == 5 and report.pages_total == 6


def test_a_score_never_goes_below_zero_and_an_empty_store_scores_full() -> None:
    awful = replace(GOOD, seo_title="", meta_description="", text="", image_alts=("",), category="")
    assert score_of(page_issues(awful)) == 30 and build_report("shop", [], 1).score == 100
    assert score_of(page_issues(awful) * 3) == 0


def test_links_to_the_stores_products_and_posts_are_found_and_categories_are_not_judged() -> None:
    from nozzly.seo.domain.pages import links_in

    text = "[lamp](/shop/s/products/brass-lamp) [guide](https://s.example/blog/lamp-guide) [c](/categories/decor)"
    assert links_in(text) == (("post", "lamp-guide"), ("product", "brass-lamp"))
