"""A post's body: Markdown (CommonMark, raw HTML off) rendered to HTML, then sanitised to a fixed set of tags.

markdown-it-py escapes raw HTML already; nh3 still cleans the result, because links and images carry URLs
(`javascript:` is refused by both) and the rendered HTML is what the storefront prints unescaped.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Final

import nh3

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

ALLOWED_TAGS: Final = frozenset(
    {"p", "br", "h2", "h3", "h4", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a", "img", "hr"}
)
ALLOWED_ATTRIBUTES: Final = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}
URL_SCHEMES: Final = frozenset({"http", "https", "mailto"})


@cache
def _parser() -> MarkdownIt:
    # Imported on first use: markdown-it compiles its rules at import (70 ms), a third of a shop page's cold
    # start, and most shop pages render no Markdown.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def render_markdown(source: str) -> str:
    """Safe HTML for the storefront: headings, lists, links (rel nofollow ugc), images, code, quotes."""
    parser = _parser()
    tokens = parser.parse(source)
    for token in tokens:  # the page's title is its one h1: a post's own headings start at h2
        if token.type in {"heading_open", "heading_close"} and token.tag == "h1":
            token.tag = "h2"
    rendered = parser.renderer.render(tokens, parser.options, {})
    cleaned: str = nh3.clean(
        rendered,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="nofollow ugc noopener",
    )
    return cleaned.strip()


_SENTENCE_ENDS = ".!?:;"


def plain_text(source: str) -> str:
    """The body's words without markup: for word counts and a description when the post has none."""
    tokens = _parser().parse(source)
    blocks: list[str] = []
    heading = False
    for token in tokens:
        heading = token.type == "heading_open" or (heading and token.type != "heading_close")
        if token.type == "inline":  # one paragraph or heading: its pieces touch ("**lamp**." is "lamp.")
            pieces = [
                child.content if child.type in {"text", "code_inline"} else " "
                for child in token.children or []
                if child.type in {"text", "code_inline", "softbreak", "hardbreak"}
            ]
            block = "".join(pieces).strip()
            # A heading ends its sentence, so an excerpt does not read "Care Wash gently".
            if heading and block and block[-1] not in _SENTENCE_ENDS:
                block += "."
            blocks.append(block)
    return " ".join(" ".join(blocks).split())
