"""Search, pure: tokens, the keys a product is indexed under, the keys a query reads, and the ranking."""

from __future__ import annotations

import pytest

from nozzly.catalog.domain.catalog import Product, ProductStatus, Variant
from nozzly.kernel.domain.money import Money
from nozzly.search.domain.search import (
    MAX_QUERY_KEYS,
    Posting,
    PostingList,
    card_of,
    deletions,
    index_change,
    index_keys,
    lookups,
    parse_query,
    rank,
    tokens,
    within_one_edit,
)

pytestmark = pytest.mark.unit


def _product(slug: str = "ember-longsword", title: str = "Ember Longsword", **fields: object) -> Product:
    base: dict[str, object] = {
        "store_id": "s",
        "slug": slug,
        "title": title,
        "price": Money(24900, "EUR"),
        "category": "blades",
        "description": "A fire-blued blade for the stage.",
        "tags": ("spring-steel",),
        "variants": (Variant("default", "MF-BLD-EMBER", "Default", 12),),
    }
    return Product(**(base | fields))  # type: ignore[arg-type]


def test_tokens_fold_accents_and_case_and_drop_stop_words_and_single_letters() -> None:
    assert tokens("The Élan Sword of Þór, a 2-Handed BLADE") == ["elan", "sword", "thor", "handed", "blade"]


def test_a_product_is_indexed_under_words_beginnings_and_one_letter_deletions() -> None:
    keys = index_keys(_product())

    assert {"T:ember", "T:longsword", "T:spring", "T:steel", "T:fire", "T:blued", "T:stage"} <= set(keys)
    assert {"P:emb", "P:embe", "P:lon", "P:longswor"} <= set(keys)
    assert "P:em" not in keys  # prefixes start at three letters
    assert {"D:mber", "D:embr", "D:longswod"} <= set(keys)
    assert "P:fir" not in keys and "D:fre" not in keys  # description words: exact only
    assert keys["T:longsword"] == Posting(3, ())
    assert keys["D:embr"] == Posting(3, ("ember",))


def test_skus_are_indexed_whole_and_by_their_parts() -> None:
    keys = index_keys(_product())

    assert {"T:mfbldember", "P:mfbld", "T:ember", "T:bld"} <= set(keys)


def test_unpublished_or_deleted_products_are_not_indexed() -> None:
    assert index_keys(_product(status=ProductStatus.DRAFT)) == {}
    assert index_keys(_product(deleted=True)) == {}


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("sword", "sword", True),
        ("sword", "swords", True),
        ("sword", "swrd", True),
        ("sword", "sward", True),
        ("sword", "swrod", True),
        ("sword", "words", False),
        ("sword", "swaard", False),
        ("abcd", "bacd", True),
        ("abcd", "badc", False),
    ],
)
def test_within_one_edit(a: str, b: str, expected: bool) -> None:
    assert within_one_edit(a, b) is expected
    assert within_one_edit(b, a) is expected


def test_a_query_reads_exact_prefix_and_typo_keys_within_one_batch() -> None:
    found = lookups(parse_query("longswrod"))
    keys = {lookup.key for lookup in found}

    assert {"T:longswrod", "P:longswrod", "D:longswrod"} <= keys
    assert {f"T:{d}" for d in deletions("longswrod")} <= keys
    assert "D:longsword" not in keys and "D:longsrod" in keys

    many = lookups(parse_query("alpha bravo charlie delta echoes foxtrot golfing hotel"))
    assert len({lookup.key for lookup in many}) <= MAX_QUERY_KEYS
    assert {"T:alpha", "T:foxtrot"} <= {lookup.key for lookup in many}  # exact keys are kept first
    assert "T:golfing" not in {lookup.key for lookup in many}  # only six words are searched


def test_a_code_in_the_query_is_also_searched_whole() -> None:
    assert parse_query("MF-BLD-EMBER") == ["mf", "bld", "ember", "mfbldember"]
    assert parse_query("ember sword") == ["ember", "sword"]


def _postings(**entries: dict[str, Posting]) -> dict[str, PostingList]:
    return {key.replace("_", ":", 1): PostingList(e, len(e)) for key, e in entries.items()}


def test_ranking_prefers_more_words_then_match_quality_times_field_weight() -> None:
    found = _postings(
        T_ember={"a": Posting(3, ()), "b": Posting(1, ())},
        T_sword={"a": Posting(3, ())},
        P_ember={"c": Posting(3, ("embers",))},
        D_ember={"d": Posting(3, ("embers",))},
    )

    # a: both words; c: a title word's beginning; d: a title word one letter off; b: a description word.
    assert [h.slug for h in rank(["ember", "sword"], found, 10)] == ["a", "c", "d", "b"]


def test_symmetric_delete_candidates_two_edits_away_are_dropped() -> None:
    # "xabcd" and "abcdy" share the deletion "abcd" but are two edits apart; "xabce" is one substitution away.
    found = _postings(D_abcd={"far": Posting(3, ("abcdy",))}, D_xabc={"near": Posting(3, ("xabce",))})

    assert [h.slug for h in rank(["xabcd"], found, 10)] == ["near"]


def test_a_rarer_key_weighs_more() -> None:
    common = {f"p{i}": Posting(3, ()) for i in range(50)}
    found = _postings(
        T_steel=common | {"both": Posting(3, ())}, T_rune={"both": Posting(3, ()), "rare": Posting(3, ())}
    )

    hits = rank(["steel", "rune"], found, 3)
    assert hits[0].slug == "both"
    assert hits[1].slug == "rare"  # one rare word beats one common word


def test_an_index_change_writes_new_and_changed_entries_and_removes_lost_keys() -> None:
    before = _product()
    after = _product(title="Ember Claymore")

    change = index_change(before, after)

    assert "T:claymore" in change.writes and "T:claymore" in change.added
    assert "T:longsword" in change.removes
    assert "T:ember" in change.writes  # the card (title) changed: every entry is rewritten
    assert change.card == card_of(after)
    assert index_change(after, after).writes == {}
    unpublished = index_change(after, _product(title="Ember Claymore", status=ProductStatus.ARCHIVED))
    assert unpublished.writes == {} and set(unpublished.removes) == set(index_keys(after))
