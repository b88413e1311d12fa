"""Money as integer minor units plus an ISO 4217 currency code. Never floats."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from nozzly.kernel.domain.errors import InvalidInput

# Currencies whose minor unit is not 1/100. Every other ISO 4217 code Nozzly accepts has two decimals.
_EXPONENT_OVERRIDES: Final[dict[str, int]] = {
    "BIF": 0,
    "CLP": 0,
    "DJF": 0,
    "GNF": 0,
    "ISK": 0,
    "JPY": 0,
    "KMF": 0,
    "KRW": 0,
    "PYG": 0,
    "RWF": 0,
    "UGX": 0,
    "UYI": 0,
    "VND": 0,
    "VUV": 0,
    "XAF": 0,
    "XOF": 0,
    "XPF": 0,
    "BHD": 3,
    "IQD": 3,
    "JOD": 3,
    "KWD": 3,
    "LYD": 3,
    "OMR": 3,
    "TND": 3,
}
SUPPORTED_CURRENCIES: Final[frozenset[str]] = frozenset(
    {
        "AED",
        "AUD",
        "BRL",
        "CAD",
        "CHF",
        "CNY",
        "CZK",
        "DKK",
        "EUR",
        "GBP",
        "HKD",
        "HUF",
        "IDR",
        "ILS",
        "INR",
        "MXN",
        "MYR",
        "NOK",
        "NZD",
        "PHP",
        "PLN",
        "RON",
        "SAR",
        "SEK",
        "SGD",
        "THB",
        "TRY",
        "TWD",
        "USD",
        "ZAR",
    }
    | set(_EXPONENT_OVERRIDES)
)


# The largest amount (in minor units) a price, cost, coupon, minimum subtotal or refund may be: 11 digits,
# 999,999,999.99 in a two-decimal currency. Stripe accepts 8 digits in most currencies and up to 12 in a few
# (IDR); Square's amounts are 64-bit integers. 11 digits leave room for Stripe's widest currencies, fit the
# 12-digit price keys of the storefront's price indexes (nozzly/README.md, gsi4/gsi5), and keep any order's
# total (at most 100 lines of at most 9,999 units) far inside DynamoDB's 38-digit numbers.
MAX_AMOUNT_MINOR: Final = 99_999_999_999


def minor_unit_exponent(currency: str) -> int:
    """How many decimals the currency's minor unit has (EUR 2, JPY 0, KWD 3)."""
    return _EXPONENT_OVERRIDES.get(currency, 2)


def _round_half_even(numerator: int, denominator: int) -> int:
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2 == 1):
        quotient += 1
    return quotient


@dataclass(frozen=True, slots=True)
class Money:
    amount: int
    currency: str

    def __post_init__(self) -> None:
        # bool is an int subclass; True cents is always a bug.
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise InvalidInput("money amount must be an integer number of minor units", field="amount")
        if self.currency not in SUPPORTED_CURRENCIES:
            raise InvalidInput(f"unsupported currency {self.currency!r}", field="currency")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise InvalidInput(f"cannot combine {self.currency} with {other.currency}", field="currency")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, quantity: int) -> Money:
        if not isinstance(quantity, int) or isinstance(quantity, bool):
            raise InvalidInput("money can only be multiplied by a whole quantity", field="quantity")
        return Money(self.amount * quantity, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    @property
    def is_negative(self) -> bool:
        return self.amount < 0

    def percent(self, basis_points: int) -> Money:
        """This amount times basis_points/10000, rounded half-to-even (banker's rounding)."""
        if not isinstance(basis_points, int) or isinstance(basis_points, bool):
            raise InvalidInput("a percentage is a whole number of basis points", field="basis_points")
        return Money(_round_half_even(self.amount * basis_points, 10_000), self.currency)

    def allocate(self, weights: list[int]) -> list[Money]:
        """Split into parts proportional to weights; the parts always add up to exactly this amount."""
        if any(not isinstance(w, int) or isinstance(w, bool) for w in weights):
            raise InvalidInput("allocation weights must be whole numbers", field="weights")
        if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
            raise InvalidInput("allocation needs non-negative weights with a positive sum", field="weights")
        total = sum(weights)
        parts = [self.amount * w // total for w in weights]
        remainder = self.amount - sum(parts)
        # Hand leftover minor units to the largest fractional shares first, so no cent is lost.
        order = sorted(range(len(weights)), key=lambda i: -(self.amount * weights[i] % total))
        for i in order[:remainder]:
            parts[i] += 1
        return [Money(p, self.currency) for p in parts]

    def to_decimal_string(self) -> str:
        """'12.50' for Money(1250, 'EUR'): for display and for providers that want major units."""
        exponent = minor_unit_exponent(self.currency)
        sign = "-" if self.amount < 0 else ""
        units, minor = divmod(abs(self.amount), 10**exponent)
        return f"{sign}{units}.{minor:0{exponent}d}" if exponent else f"{sign}{units}"
