"""Every amount a client sends is bounded by one maximum (MAX_AMOUNT_MINOR), shown in the OpenAPI schema."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from nozzly.kernel.contracts.money import MoneyIn
from nozzly.kernel.domain.money import MAX_AMOUNT_MINOR
from nozzly.orders.contracts.orders import RefundIn
from nozzly.promotions.contracts.coupons import CouponIn

pytestmark = pytest.mark.unit


def refused(model: type[BaseModel], body: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(body)
    return [".".join(str(p) for p in e["loc"]) for e in caught.value.errors()]


def test_the_maximum_is_eleven_digits_and_fits_the_price_index_keys() -> None:
    assert MAX_AMOUNT_MINOR == 99_999_999_999
    assert len(str(MAX_AMOUNT_MINOR)) < 12  # gsi4/gsi5 sort keys hold 12 digits


@pytest.mark.parametrize("amount", [MAX_AMOUNT_MINOR + 1, 2**63, 10**40])
def test_an_amount_past_the_maximum_is_refused_naming_it(amount: int) -> None:
    assert refused(MoneyIn, {"amount": amount, "currency": "EUR"}) == ["amount"]
    assert refused(RefundIn, {"amount": {"amount": amount, "currency": "EUR"}, "reason": "damaged"}) == [
        "amount.amount"
    ]
    coupon = {"code": "BIG", "kind": "fixed", "value": amount}
    assert refused(CouponIn, coupon) == ["value"]
    assert refused(CouponIn, coupon | {"value": 5, "min_subtotal": amount}) == ["min_subtotal"]


def test_the_maximum_itself_is_accepted() -> None:
    assert MoneyIn(amount=MAX_AMOUNT_MINOR, currency="JPY").to_domain().amount == MAX_AMOUNT_MINOR


def test_the_openapi_schema_states_the_maximum() -> None:
    assert MoneyIn.model_json_schema()["properties"]["amount"]["maximum"] == MAX_AMOUNT_MINOR
    assert CouponIn.model_json_schema()["properties"]["min_subtotal"]["maximum"] == MAX_AMOUNT_MINOR
