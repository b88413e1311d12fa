"""The weekly AI draft's rules: which keyword, which week, what an answer must be."""

from __future__ import annotations

import json

import pytest

from nozzly.blog.domain.drafting import (
    InvalidDraft,
    ProductFacts,
    draft_slug,
    parse_draft,
    pick_keyword,
    prompt,
    week_of,
)

LAMPS = [
    ProductFacts("brass-lamp", "Brass Desk Lamp", ("lighting", "brass")),
    ProductFacts("glass-lamp", "Glass Table Lamp", ("lighting",)),
    ProductFacts("oak-stool", "Oak Stool", ("furniture",)),
]


@pytest.mark.parametrize(
    ("covered", "keyword"),
    [
        ([], "lamp"),  # the most products share it (two; "lighting" too, and "lamp" sorts first)
        (["a-practical-guide-to-lamp lamp"], "lighting"),
        (["lamp", "lighting"], "brass"),
        (["lamp lighting brass desk glass table furniture stool"], None),
    ],
)
def test_the_keyword_is_the_most_shared_one_no_post_covers(covered: list[str], keyword: str | None) -> None:
    assert pick_keyword(LAMPS, covered) == keyword


def test_no_products_means_nothing_to_write_about() -> None:
    assert pick_keyword([], []) is None


def test_weeks_are_iso_weeks() -> None:
    assert week_of(1_764_806_400) == "2025-W49"  # Thursday 4 December 2025
    assert week_of(1_735_603_200) == "2025-W01"  # Tuesday 31 December 2024 belongs to 2025's first week


def test_the_prompt_carries_the_keyword_and_only_the_matching_products() -> None:
    ask = prompt("lamp", "Lantern & Loom", "home", LAMPS)
    facts = json.loads(ask.split("<post>")[1].split("</post>")[0])
    assert facts["keyword"] == "lamp" and facts["products"] == ["Brass Desk Lamp", "Glass Table Lamp"]


def test_an_answer_must_be_one_json_object_with_every_field() -> None:
    answer = {"title": "Lamps", "body_markdown": "## Hi\n\ntext", "seo_title": "Lamps", "seo_description": "All"}
    assert parse_draft("Sure! " + json.dumps(answer)).body_markdown == "## Hi\n\ntext"
    with pytest.raises(InvalidDraft):
        parse_draft("Sorry, I cannot help with that.")
    with pytest.raises(InvalidDraft):
        parse_draft(json.dumps(answer | {"title": ""}))
    assert len(parse_draft(json.dumps(answer | {"seo_title": "x" * 90})).seo_title) == 60


def test_a_drafts_slug_avoids_the_stores_slugs() -> None:
    assert draft_slug("Lamp Guide", "lamp", set()) == "lamp-guide"
    assert draft_slug("Lamp Guide", "lamp", {"lamp-guide", "lamp-guide-2"}) == "lamp-guide-3"
    assert draft_slug("!!!", "desk lamp", set()) == "desk-lamp"
