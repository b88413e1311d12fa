"""The arithmetic behind `make bench`'s AWS cost per order (localcloud/costs.py): request units as DynamoDB
counts them, GB-seconds at each function's memory, and the dollars per line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from localcloud.costs import PRICES, Usage, item_bytes, line_items, read_units, total, write_units

pytestmark = pytest.mark.unit


def test_an_item_is_sized_by_its_names_and_values() -> None:
    item = {"pk": {"S": "store"}, "qty": {"N": "12345"}, "ok": {"BOOL": True}, "tags": {"SS": ["a", "bc"]}}
    # pk 2+5, qty 3+(5//2+1), ok 2+1, tags 4+3
    assert item_bytes(item) == 7 + 6 + 3 + 7
    assert item_bytes({"m": {"M": {"k": {"S": "v"}}}}) == 1 + 3 + 1 + 1 + 1
    assert item_bytes(None) == 0


def test_reads_are_4_kb_units_halved_when_eventually_consistent_and_doubled_in_transactions() -> None:
    assert read_units(0, consistent=True) == 1  # an empty read still costs one unit
    assert read_units(4096, consistent=True) == 1
    assert read_units(4097, consistent=True) == 2
    assert read_units(4097, consistent=False) == 1
    assert read_units(100, consistent=True, transactional=True) == 2


def test_writes_are_1_kb_units_doubled_in_transactions() -> None:
    assert write_units(0) == 1
    assert write_units(1024) == 1
    assert write_units(1025) == 2
    assert write_units(1025, transactional=True) == 4


def test_gb_seconds_follow_each_functions_memory_and_round_up_to_the_millisecond() -> None:
    usage = Usage(lambda_ms={"Checkout": 1000.2, "Small": 500.0}, memory_mb={"Checkout": 1024, "Small": 512})
    assert usage.gb_seconds() == Decimal("1.001") + Decimal("0.25")


def test_the_dollars_per_line_and_in_total() -> None:
    usage = Usage(
        lambda_requests={"Checkout": 4},
        lambda_ms={"Checkout": 2000.0},
        memory_mb={"Checkout": 512},
        http_requests=3,
        read_units=10,
        write_units=8,
        transitions=12,
        events=2,
        emails=1,
    )
    lines = line_items(usage)
    assert lines["Lambda requests"] == 4 * PRICES["lambda_request"]
    assert lines["Lambda GB-seconds"] == Decimal(1) * PRICES["lambda_gb_second"]
    assert lines["DynamoDB writes"] == 8 * PRICES["dynamodb_write_unit"]
    assert lines["Step Functions"] == Decimal("0.0003")  # 12 transitions at $0.025 per 1,000
    assert lines["SES"] == Decimal("0.0001")
    assert total(usage) == sum(lines.values())
    assert total(Usage()) == 0
