"""Operators' product search: which products a free-text query finds."""

from __future__ import annotations

import pytest

from nozzly.catalog.domain.admin_search import MAX_QUERY_LENGTH, folded_words, product_query
from nozzly.catalog.domain.catalog import Product, Variant
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money

pytestmark = pytest.mark.unit

LAMP = Product(
    "s",
    "brass-desk-lamp",
    "Élan Brass Desk-Lamp",
    Money(4900, "EUR"),
    "decor",
    variants=(Variant("small", "LAMP-S-01", "Small", 4), Variant("large", "LAMP-L-01", "Large", 2)),
)


def finds(q: str) -> bool:
    query = product_query(q)
    assert query is not None
    return query.matches(LAMP)


@pytest.mark.parametrize("q", ["elan", "ÉLAN", "Elan desk", "desk lamp", "bra", "lamp élan", "  brass  "])
def test_every_word_starting_a_title_word_finds_it_whatever_case_and_accents(q: str) -> None:
    assert finds(q)


@pytest.mark.parametrize("q", ["rass", "brass chair", "lamps", "desklamp", "!!!"])
def test_a_word_that_starts_no_title_word_does_not(q: str) -> None:
    assert not finds(q)


@pytest.mark.parametrize("q", ["LAMP-L-01", "lamp-s-01", "LAMP-S", "lamp-l-0"])
def test_a_variant_sku_or_its_start_finds_it_whatever_its_case(q: str) -> None:
    assert finds(q)


def test_the_middle_of_a_sku_does_not() -> None:
    assert not finds("S-01")


def test_the_product_slug_finds_it_but_not_a_part_of_it_that_is_no_title_word() -> None:
    assert finds("brass-desk-lamp")
    assert finds("BRASS-DESK-LAMP")
    chair = Product("s", "p-000123", "Chair", Money(1, "EUR"), "decor", variants=(Variant("d", "C1", "D", 1),))
    whole, part = product_query("p-000123"), product_query("p-00012")
    assert whole is not None and whole.matches(chair)
    assert part is not None and not part.matches(chair)


def test_no_query_or_a_blank_one_is_no_filter() -> None:
    assert product_query(None) is None
    assert product_query("   ") is None


def test_a_query_longer_than_the_limit_is_refused_naming_q() -> None:
    assert product_query("x" * MAX_QUERY_LENGTH) is not None
    with pytest.raises(InvalidInput) as refused:
        product_query("x" * (MAX_QUERY_LENGTH + 1))
    assert refused.value.field == "q"


def test_title_words_are_folded_to_lowercase_ascii() -> None:
    assert folded_words("Crème Brûlée, Straße!") == ("creme", "brulee", "strasse")
