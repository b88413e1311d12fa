"""Money on the wire: integer minor units plus currency, and a display string for convenience."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StrictInt

from nozzly.kernel.domain.money import MAX_AMOUNT_MINOR, SUPPORTED_CURRENCIES, Money


def _supported(value: str) -> str:
    if value not in SUPPORTED_CURRENCIES:
        raise ValueError(f"unsupported currency {value!r}")
    return value


CurrencyCode = Annotated[str, Field(min_length=3, max_length=3, examples=["EUR"]), AfterValidator(_supported)]
# Every amount a client sends: whole minor units from 0 to MAX_AMOUNT_MINOR (see kernel/domain/money.py).
AmountMinor = Annotated[StrictInt, Field(ge=0, le=MAX_AMOUNT_MINOR)]


class MoneyIn(BaseModel):
    amount: AmountMinor = Field(
        description=f"Integer minor units (cents): 1999 is 19.99 EUR; at most {MAX_AMOUNT_MINOR}."
    )
    currency: CurrencyCode

    def to_domain(self) -> Money:
        return Money(self.amount, self.currency)


class MoneyOut(BaseModel):
    amount: int = Field(description="Integer minor units.")
    currency: str
    display: str = Field(description="Major units as a decimal string, e.g. '19.99'.")

    @classmethod
    def of(cls, money: Money) -> MoneyOut:
        return cls(amount=money.amount, currency=money.currency, display=money.to_decimal_string())
