"""Blog posts: the Markdown a shopper sees, the rules of a post's fields and of a versioned change."""

from __future__ import annotations

import pytest

from nozzly.blog.domain.markdown import plain_text, render_markdown
from nozzly.blog.domain.posts import BlogPost, PostStatus, changed, new_post
from nozzly.kernel.domain.errors import Conflict, InvalidInput

NOW = 1_790_000_000


@pytest.mark.parametrize(
    ("markdown", "shown", "absent"),
    [
        ("Hello **world**", "<strong>world</strong>", None),
        ("# Title", "<h2>Title</h2>", "<h1"),  # the page's title is its one h1
        ("<script>alert(1)</script>", "&lt;script&gt;", "<script"),
        ("[x](javascript:alert(1))", None, "href"),  # no link: left as text
        ('<img src=x onerror="alert(1)">', None, "<img src=x"),
        ("[shop](https://example.com)", 'href="https://example.com"', None),
        ("[shop](https://example.com)", 'rel="nofollow ugc noopener"', None),
        ("![alt text](https://cdn.example.com/a.png)", 'alt="alt text"', None),
        ("- one\n- two", "<li>one</li>", None),
    ],
)
def test_markdown_is_rendered_to_safe_html(markdown: str, shown: str | None, absent: str | None) -> None:
    html = render_markdown(markdown)
    if shown:
        assert shown in html
    if absent:
        assert absent not in html


def test_plain_text_drops_the_markup() -> None:
    assert plain_text("## Care\n\nWash **gently** in `cold` water.") == "Care. Wash gently in cold water."
    assert plain_text("# Why brass?\n\nIt ages well.") == "Why brass? It ages well."  # its own mark is kept
    # Markup next to punctuation leaves no space before it; a line break inside a paragraph is one space.
    assert plain_text("A good **desk lamp**.\nIt *lasts*, too.") == "A good desk lamp. It lasts, too."


def _post(**fields: object) -> BlogPost:
    return new_post("shop", {"title": "Lamp care", "slug": "lamp-care", **fields}, "alice", NOW)


def test_a_new_post_is_a_draft_until_published_and_a_published_one_is_dated_now() -> None:
    draft = _post()
    assert draft.status is PostStatus.DRAFT and draft.published_at == 0 and not draft.visible_at(NOW)
    live = _post(status="published")
    assert live.published_at == NOW and live.visible_at(NOW)
    later = _post(status="published", published_at=NOW + 3600)
    assert not later.visible_at(NOW) and later.visible_at(NOW + 3600)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"slug": "Lamp Care"}, "slug"),
        ({"seo_title": "x" * 61}, "seo_title"),
        ({"seo_description": "x" * 161}, "seo_description"),
        ({"cover_image": "http://example.com/a.png"}, "cover_image"),
        ({"cover_image": "a b.png"}, "cover_image"),
        ({"cover_image": "stores/other-shop/products/x/a.webp"}, "cover_image"),  # another store's picture
        ({"cover_image": "stores/shop/../other-shop/a.webp"}, "cover_image"),
        ({"body_markdown": "x" * 100_001}, "body_markdown"),
    ],
)
def test_invalid_fields_are_refused_naming_the_field(fields: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        _post(**fields)
    assert refused.value.field == field


def test_a_cover_is_an_https_url_or_a_key_of_the_stores_own_images() -> None:
    assert _post(cover_image="stores/shop/blog/cover.webp").cover_image == "stores/shop/blog/cover.webp"
    assert _post(cover_image="https://cdn.example.com/c.jpg").cover_image == "https://cdn.example.com/c.jpg"


def test_a_change_bumps_the_version_once_and_publishing_again_keeps_the_first_date() -> None:
    post = _post()
    published = changed(post, {"status": "published"}, expected_version=1, now=NOW + 10)
    assert (published.version, published.published_at, published.updated_at) == (2, NOW + 10, NOW + 10)
    unpublished = changed(published, {"status": "draft"}, None, NOW + 20)
    again = changed(unpublished, {"status": "published"}, None, NOW + 30)
    assert again.published_at == NOW + 10 and again.version == 4


def test_a_change_to_an_old_version_is_a_conflict_and_no_change_keeps_the_version() -> None:
    post = _post()
    with pytest.raises(Conflict):
        changed(post, {"title": "New"}, expected_version=7, now=NOW)
    assert changed(post, {"title": "Lamp care"}, None, NOW) is post
