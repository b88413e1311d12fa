"""What an AI answer must be before it becomes a product's copy, and the supplier's copy when it is not."""

from __future__ import annotations

import json

import pytest

from nozzly.imports.domain.listing_copy import InvalidCopy, SourceFacts, fallback_copy, parse_copy, prompt

pytestmark = pytest.mark.unit

GOOD = {
    "seo_title": "Amber Lamp",
    "description_html": '<p onclick="x()">Warm <a href="http://evil">light</a></p><script>alert(1)</script>',
    "meta_description": "A warm amber lamp.",
    "keywords": ["Lamp", "amber"],
    "image_alts": ["The lamp, lit"],
}


def test_a_valid_answer_is_kept_with_its_html_sanitised() -> None:
    copy = parse_copy("Here you go:\n" + json.dumps(GOOD), image_count=1)
    assert copy.description_html == "<p>Warm light</p>"
    assert copy.keywords == ("lamp", "amber") and not copy.needs_copy


@pytest.mark.parametrize(
    ("change", "fault"),
    [
        ({"seo_title": "x" * 61}, "seo_title has 61 characters; at most 60"),
        ({"meta_description": "x" * 156}, "meta_description has 156 characters; at most 155"),
        ({"image_alts": []}, "exactly 1 strings"),
        ({"keywords": "lamp"}, "keywords must be a list"),
        ({"description_html": "<script>x</script>"}, "no text left after sanitising"),
        ({"seo_title": None}, "seo_title must be a non-empty string"),
    ],
)
def test_an_answer_breaking_the_schema_is_refused_naming_the_fault(change: dict[str, object], fault: str) -> None:
    with pytest.raises(InvalidCopy, match=fault):
        parse_copy(json.dumps(GOOD | change), image_count=1)


def test_text_that_is_not_json_is_refused() -> None:
    with pytest.raises(InvalidCopy, match="not one JSON object"):
        parse_copy("I cannot help with that.", image_count=0)


def test_the_supplier_copy_fits_the_same_limits_and_is_marked() -> None:
    facts = SourceFacts("T" * 80, "First <b>para</b>.\n\nSecond para.", ("a & b",), 2)
    copy = fallback_copy(facts)
    assert copy.needs_copy and len(copy.seo_title) == 60
    assert (
        copy.description_html == "<p>First &lt;b&gt;para&lt;/b&gt;.</p><p>Second para.</p><ul><li>a &amp; b</li></ul>"
    )
    assert len(copy.image_alts) == 2


def test_the_prompt_carries_the_facts_and_the_schema() -> None:
    text = prompt(SourceFacts("Lamp", "Glass.", ("E27",), 1), "de", "Lamp Loft", "lighting")
    facts = json.loads(text.split("<facts>")[1].split("</facts>")[0])
    assert facts == {"title": "Lamp", "description": "Glass.", "features": ["E27"], "images": ["image 1"]}
    assert "'de'" in text and '"maxLength": 60' in text
