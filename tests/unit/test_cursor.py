"""Pagination cursors: opaque, URL-safe, and only valid for the partition they came from."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest

from nozzly.kernel.adapters.cursor import decode, encode
from nozzly.kernel.domain.errors import InvalidInput

pytestmark = pytest.mark.unit

PARTITION = "STORE#mystmere-forge"
KEY_ATTRS = {"pk", "sk", "gsi1sk"}


def cursor_for(key: dict[str, Any]) -> str:
    cursor = encode(key)
    assert cursor is not None
    return cursor


def decode_here(cursor: str) -> dict[str, Any]:
    return decode(cursor, key_attrs=KEY_ATTRS, partition_attr="pk", partition_value=PARTITION)


def test_no_key_means_no_cursor() -> None:
    assert encode(None) is None
    assert encode({}) is None


@pytest.mark.parametrize("sk", ["", "P", "PR", "PRO", "PRODUCT#iron-kettle", "PRODUCT#ñ?>~/+", "x" * 300])
def test_round_trip(sk: str) -> None:
    key = {"pk": {"S": PARTITION}, "sk": {"S": sk}, "gsi1sk": {"S": "2024-06-01"}}
    cursor = cursor_for(key)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", cursor), cursor  # URL-safe, no padding
    assert decode_here(cursor) == key


def test_encoding_is_deterministic() -> None:
    a = {"pk": {"S": PARTITION}, "sk": {"S": "X"}}
    b = {"sk": {"S": "X"}, "pk": {"S": PARTITION}}
    assert encode(a) == encode(b)


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "not a cursor!!",
        "%%%",
        "a",
        "_-_-",
        base64.urlsafe_b64encode(b"\xff\xfe\xfd").decode(),
        base64.urlsafe_b64encode(b"{not json").decode(),
        base64.urlsafe_b64encode(b"[1, 2]").decode(),
        base64.urlsafe_b64encode(b'"pk"').decode(),
    ],
)
def test_garbage_is_invalid_input(garbage: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        decode_here(garbage)
    assert caught.value.field == "cursor"


@pytest.mark.parametrize(
    "key",
    [
        {"pk": {"S": "STORE#someone-else"}, "sk": {"S": "PRODUCT#a"}, "gsi1sk": {"S": "a"}},
        {"pk": {"S": PARTITION.lower()}, "sk": {"S": "PRODUCT#a"}, "gsi1sk": {"S": "a"}},
        {"sk": {"S": "PRODUCT#a"}, "gsi1sk": {"S": "a"}},
        {"gsi1pk": {"S": PARTITION}, "sk": {"S": "PRODUCT#a"}, "gsi1sk": {"S": "a"}},
    ],
)
def test_cursor_from_another_partition_is_refused(key: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as caught:
        decode_here(cursor_for(key))
    assert caught.value.field == "cursor"


@pytest.mark.parametrize(
    "sk",
    [
        {"N": "5"},
        {"S": 5},
        {"S": None},
        {"S": ["a"]},
        {"S": "a", "N": "1"},
        {"B": "AAAA"},
        {},
        "PRODUCT#a",
        ["PRODUCT#a"],
    ],
)
def test_non_string_key_values_are_refused(sk: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        decode_here(cursor_for({"pk": {"S": PARTITION}, "sk": sk, "gsi1sk": {"S": "a"}}))
    assert caught.value.field == "cursor"


def test_partition_value_itself_must_be_a_string_attribute() -> None:
    with pytest.raises(InvalidInput):
        decode_here(cursor_for({"pk": PARTITION, "sk": {"S": "x"}, "gsi1sk": {"S": "a"}}))


@pytest.mark.parametrize(
    "key",
    [
        {"pk": {"S": PARTITION}},  # the partition alone: DynamoDB would reject it as a start key
        {"pk": {"S": PARTITION}, "sk": {"S": "x"}},
        {"pk": {"S": PARTITION}, "sk": {"S": "x"}, "gsi1sk": {"S": "a"}, "extra": {"S": "b"}},
    ],
)
def test_cursor_of_the_wrong_key_shape_is_refused(key: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as caught:
        decode_here(cursor_for(key))
    assert caught.value.field == "cursor"
