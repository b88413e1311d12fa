"""One candidate per product: the same source id, GTIN or a near-identical title merge, the cheaper offer stays;
feeds' junk is tidied or dropped; the AI's analysis must meet its schema."""

from __future__ import annotations

import json

import pytest

from nozzly.kernel.domain.money import Money
from nozzly.research.domain.candidates import Candidate, normalise, normalise_gtin
from nozzly.research.domain.dedupe import dedupe
from nozzly.research.domain.verdicts import InvalidVerdict, parse_verdict

pytestmark = pytest.mark.unit


def _c(source: str, source_id: str, title: str, cost: int, gtin: str = "", *, shipping: int = 0) -> Candidate:
    return Candidate(
        source, source_id, title, f"https://s.example/{source_id}", Money(cost, "EUR"), Money(shipping, "EUR"), 7, gtin
    )


def _kept(candidates: list[Candidate]) -> list[tuple[str, str]]:
    return [(c.source, c.source_id) for c in dedupe(candidates)]


def test_the_same_source_id_is_one_product_and_the_cheaper_offer_stays() -> None:
    assert _kept([_c("a", "1", "Lamp", 900), _c("a", "1", "Lamp v2", 800), _c("b", "1", "Mug", 500)]) == [
        ("a", "1"),
        ("b", "1"),
    ]
    assert dedupe([_c("a", "1", "Lamp", 900), _c("a", "1", "Lamp v2", 800)])[0].title == "Lamp v2"


def test_the_same_gtin_across_suppliers_is_one_product_by_landed_cost() -> None:
    first = _c("a", "1", "Walnut serving board", 1_000, "4006381333931", shipping=500)  # landed 15.00
    second = _c("b", "x9", "Serving tray in oak", 1_200, "4006381333931", shipping=100)  # landed 13.00
    assert _kept([first, second]) == [("b", "x9")]


@pytest.mark.parametrize(
    ("one", "other", "merged"),
    [
        ("LED Desk Lamp, black", "Black LED desk lamp", True),  # word order, case, punctuation
        ("Ceramic Coffee Mug 350ml", "Ceramic Coffee Mug 350 ml", True),  # near-identical
        ("LED Desk Lamp", "LED Floor Lamp", False),
        ("Yoga Mat Blue", "Yoga Mat Bag", False),
    ],
)
def test_near_identical_titles_merge_and_different_products_do_not(one: str, other: str, merged: bool) -> None:
    assert len(dedupe([_c("a", "1", one, 500), _c("b", "2", other, 600)])) == (1 if merged else 2)


def test_a_tie_keeps_the_candidate_seen_first() -> None:
    assert _kept([_c("a", "1", "Lamp", 500, "12345670"), _c("b", "2", "Other", 500, "12345670")]) == [("a", "1")]


@pytest.mark.parametrize(
    ("raw", "gtin"),
    [("4006381333931", "4006381333931"), ("400-638 1333931", "4006381333931"), ("0000000000000", ""), ("12", "")],
)
def test_gtins_are_digits_of_a_valid_length_or_nothing(raw: str, gtin: str) -> None:
    assert normalise_gtin(raw) == gtin


def test_normalise_tidies_titles_and_drops_unusable_candidates() -> None:
    tidy = normalise(_c("a", "1", "  LED   Desk\nLamp ", 500, "junk"))
    assert tidy is not None
    assert (tidy.title, tidy.gtin) == ("LED Desk Lamp", "")
    assert normalise(_c("a", "1", "   ", 500)) is None
    assert normalise(_c("a", "1", "Lamp", 0)) is None
    assert normalise(_c("a", "", "Lamp", 500)) is None


VALID = {"verdict": "import", "reasons": ["High margin"], "audience": "Students", "risks": []}


def test_a_verdict_that_meets_the_schema_is_read_even_when_fenced() -> None:
    verdict = parse_verdict("```json\n" + json.dumps(VALID) + "\n```")
    assert (verdict.verdict, verdict.reasons, verdict.audience, verdict.risks) == (
        "import",
        ("High margin",),
        "Students",
        (),
    )


@pytest.mark.parametrize(
    "answer",
    [
        "I think you should import it",
        json.dumps({**VALID, "verdict": "buy"}),
        json.dumps({**VALID, "reasons": []}),
        json.dumps({**VALID, "reasons": ["x"] * 6}),
        json.dumps({**VALID, "audience": "a" * 201}),
        json.dumps({**VALID, "extra": 1}),
        json.dumps({k: v for k, v in VALID.items() if k != "risks"}),
        json.dumps({**VALID, "risks": [3]}),
    ],
)
def test_answers_outside_the_schema_are_refused(answer: str) -> None:
    with pytest.raises(InvalidVerdict):
        parse_verdict(answer)
