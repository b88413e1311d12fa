"""Shared by the tests that compare the local cloud's DynamoDB patches with moto's own answers: Hypothesis
strategies for items of every attribute type (nested maps and lists, binary values, sets), and their table."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

TABLE = "t"  # keys pk (S) and sk (N)


def create_table(ddb: Any, **extra: Any) -> None:
    """The table the generated items go into (`extra`: more CreateTable arguments, e.g. a stream)."""
    ddb.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
        ],
        BillingMode="PAY_PER_REQUEST",
        **extra,
    )


numbers = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.decimals(-1000, 1000, places=3, allow_nan=False, allow_infinity=False).map(str),
)
texts = st.text(max_size=12)
scalars = st.one_of(
    texts.map(lambda v: {"S": v}),
    numbers.map(lambda v: {"N": v}),
    st.binary(min_size=1, max_size=12).map(lambda v: {"B": v}),
    st.booleans().map(lambda v: {"BOOL": v}),
    st.just({"NULL": True}),
    st.sets(texts, min_size=1, max_size=4).map(lambda v: {"SS": sorted(v)}),
    st.sets(st.integers(-99, 99), min_size=1, max_size=4).map(lambda v: {"NS": [str(n) for n in sorted(v)]}),
    st.sets(st.binary(min_size=1, max_size=6), min_size=1, max_size=3).map(lambda v: {"BS": sorted(v)}),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda v: {"L": v}),
        st.dictionaries(st.text(min_size=1, max_size=6), inner, max_size=4).map(lambda v: {"M": v}),
    ),
    max_leaves=12,
)
items = st.dictionaries(st.text(min_size=1, max_size=8).filter(lambda k: k not in ("pk", "sk")), values, max_size=6)
