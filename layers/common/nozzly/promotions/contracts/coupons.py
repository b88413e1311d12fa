"""Operators' coupon bodies and answers (Promotions). PATCH changes only the fields it names; `null` clears
the validity dates and the usage limits. Times are ISO 8601 with a time zone; money is minor units of the
store's currency.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator

from nozzly.kernel.contracts.money import AmountMinor, MoneyOut
from nozzly.kernel.domain.money import Money
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.promotions.domain.coupon_admin import MAX_RESTRICTIONS, CouponTerms
from nozzly.promotions.domain.coupons import Coupon, CouponKind

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
Slugs = Annotated[list[Slug], Field(max_length=MAX_RESTRICTIONS)]
Kind = Literal["percent", "fixed"]
Value = Annotated[
    AmountMinor,
    Field(ge=1, description="percent: basis points (1500 = 15 %); fixed: minor units (500 = 5.00)."),
]
MinSubtotal = Annotated[AmountMinor, Field(description="Minor units of the cart's subtotal before discounts.")]
Limit = Annotated[StrictInt, Field(ge=1, le=10_000_000)]
_CLOSED = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently ignored


def _epoch(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp())


def _moment(epoch: int | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


class CouponIn(BaseModel):
    model_config = _CLOSED

    code: str = Field(
        min_length=2, max_length=40, examples=["SUMMER15"], description="Letters, digits, '-', '_'; upper-cased."
    )
    kind: Kind
    value: Value
    min_subtotal: MinSubtotal = 0
    valid_from: AwareDatetime | None = None
    valid_until: AwareDatetime | None = Field(default=None, description="The first moment it no longer works.")
    max_uses: Limit | None = Field(default=None, description="Orders placed with it, across all shoppers.")
    max_uses_per_shopper: Limit | None = Field(default=None, description="Orders placed with it per account.")
    products: Slugs = Field(default_factory=list, description="Only these products' lines get the discount.")
    categories: Slugs = Field(default_factory=list, description="Only lines in these categories (subtrees too).")
    active: StrictBool = True

    def terms(self) -> CouponTerms:
        return CouponTerms(
            kind=CouponKind(self.kind),
            value=self.value,
            min_subtotal=self.min_subtotal,
            valid_from=_epoch(self.valid_from),
            valid_until=_epoch(self.valid_until),
            max_uses=self.max_uses,
            max_uses_per_shopper=self.max_uses_per_shopper,
            products=frozenset(self.products),
            categories=frozenset(self.categories),
            active=self.active,
        )


class CouponPatch(BaseModel):
    model_config = _CLOSED

    kind: Kind | None = None
    value: Value | None = None
    min_subtotal: MinSubtotal | None = None
    valid_from: AwareDatetime | None = None
    valid_until: AwareDatetime | None = None
    max_uses: Limit | None = None
    max_uses_per_shopper: Limit | None = None
    products: Slugs | None = None
    categories: Slugs | None = None
    active: StrictBool | None = None

    @field_validator("kind", "value", "min_subtotal", "products", "categories", "active")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Runs only for fields the body names (defaults are not validated): an explicit null.
        if value is None:
            raise ValueError("cannot be null (only the dates and usage limits can be cleared)")
        return value

    def changes(self) -> dict[str, Any]:
        """The named fields in the domain's terms."""
        found: dict[str, Any] = {}
        for name in self.model_fields_set:
            value = getattr(self, name)
            if name in ("valid_from", "valid_until"):
                value = _epoch(value)
            elif name == "kind":
                value = CouponKind(value)
            elif name in ("products", "categories"):
                value = frozenset(value)
            found[name] = value
        return found


class CouponOut(BaseModel):
    code: str
    kind: Kind
    value: int = Field(description="percent: basis points; fixed: minor units of the currency.")
    amount_off: MoneyOut | None = Field(description="A fixed coupon's discount; null for a percent coupon.")
    min_subtotal: MoneyOut
    valid_from: datetime | None
    valid_until: datetime | None
    max_uses: int | None
    max_uses_per_shopper: int | None
    products: list[str]
    categories: list[str]
    active: bool
    uses: int = Field(description="Orders placed with it so far (counted by the checkout).")


class CouponList(BaseModel):
    items: list[CouponOut]


def coupon_out(coupon: Coupon) -> CouponOut:
    fixed = coupon.kind is CouponKind.FIXED
    return CouponOut(
        code=coupon.code,
        kind=coupon.kind.value,
        value=coupon.value,
        amount_off=MoneyOut.of(Money(coupon.value, coupon.currency)) if fixed else None,
        min_subtotal=MoneyOut.of(Money(coupon.min_subtotal, coupon.currency)),
        valid_from=_moment(coupon.valid_from),
        valid_until=_moment(coupon.valid_until),
        max_uses=coupon.max_uses,
        max_uses_per_shopper=coupon.max_uses_per_shopper,
        products=sorted(coupon.products),
        categories=sorted(coupon.categories),
        active=coupon.active,
        uses=coupon.uses,
    )
