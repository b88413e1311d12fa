"""The address book's rules: validation, the 20-address limit, the default shipping address."""

from __future__ import annotations

from typing import Any

import pytest

from nozzly.customers.domain.customers import MAX_ADDRESSES, Address, AddressBook, ProfileChange
from nozzly.kernel.domain.errors import InvalidInput, NotFound
from nozzly.kernel.domain.phones import normalise_phone

FIELDS: dict[str, Any] = {
    "name": "Sam",
    "line1": "Main St 1",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
}


def address(address_id: str, created_at: int = 0, **change: Any) -> Address:
    return Address.validated(address_id, **(FIELDS | change), created_at=created_at)


def test_a_valid_address_is_trimmed_and_normalised() -> None:
    a = address("a1", name="  Sam  ", country=" de ", line2=" ", phone="+49 (30) 123-456")
    assert (a.name, a.country, a.line2, a.phone, a.region) == ("Sam", "DE", None, "+4930123456", None)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"country": "DEU"}, "country"),
        ({"country": "D1"}, "country"),
        ({"name": "   "}, "name"),
        ({"line1": ""}, "line1"),
        ({"city": "x" * 101}, "city"),
        ({"postal_code": "1" * 21}, "postal_code"),
        ({"phone": "0301234567"}, "phone"),
        ({"phone": "+0301234567"}, "phone"),
        ({"phone": "+1234567890123456"}, "phone"),
    ],
)
def test_invalid_addresses_name_their_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        address("a1", **change)
    assert refused.value.field == field


def test_profile_change_needs_something_valid() -> None:
    with pytest.raises(InvalidInput):
        ProfileChange.validated(None, None)
    with pytest.raises(InvalidInput):
        ProfileChange.validated(" ", None)
    assert ProfileChange.validated(" Sam ", None).attributes() == {"name": "Sam"}
    assert ProfileChange.validated(None, "+1 555 0100 123").attributes() == {"phone_number": "+15550100123"}
    assert normalise_phone("+44.20.7946.0958") == "+442079460958"


def test_the_first_address_becomes_the_default_whatever_was_asked() -> None:
    book = AddressBook().add(address("a"), make_default=False)
    assert book.default_shipping == "a"
    book = book.add(address("b", 1), make_default=False)
    assert book.default_shipping == "a"
    assert book.add(address("c", 2), make_default=True).default_shipping == "c"


def test_at_most_twenty_addresses() -> None:
    book = AddressBook(tuple(address(f"a{n}", n) for n in range(MAX_ADDRESSES)), "a0", version=3)
    with pytest.raises(InvalidInput):
        book.add(address("one-more"), make_default=False)


def test_replacing_keeps_the_place_and_may_take_the_default() -> None:
    book = AddressBook((address("a", 1), address("b", 2)), "a", version=1)
    replaced = book.replace_address(address("a", city="Potsdam"), make_default=False)
    assert [(x.id, x.city) for x in replaced.addresses] == [("a", "Potsdam"), ("b", "Berlin")]
    assert replaced.default_shipping == "a"
    assert book.replace_address(address("b"), make_default=True).default_shipping == "b"
    with pytest.raises(NotFound):
        book.replace_address(address("zz"), make_default=False)


def test_deleting_the_default_moves_it_to_the_oldest_remaining_address() -> None:
    book = AddressBook((address("c", 3), address("a", 1), address("b", 2)), "b", version=2)
    assert book.remove("b").default_shipping == "a"
    assert book.remove("c").default_shipping == "b"  # not the default: unchanged
    assert AddressBook((address("a", 1),), "a", version=1).remove("a").default_shipping is None
    with pytest.raises(NotFound):
        book.remove("zz")


def test_a_stale_default_pointer_falls_back_to_the_oldest_address() -> None:
    assert AddressBook((address("b", 2), address("a", 1)), "gone").default_shipping == "a"
    assert AddressBook((), "gone").default_shipping is None


def test_addresses_added_in_the_same_second_keep_their_order() -> None:
    book = AddressBook()
    for name in ("zz", "aa", "mm"):
        book = book.add(address(name, 500), make_default=False)
    assert [a.id for a in book.addresses] == ["zz", "aa", "mm"]
    assert book.remove("zz").default_shipping == "aa"
