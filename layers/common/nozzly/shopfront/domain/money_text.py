"""Money as a shopper reads it on a page: "€12.50", "$1,234.00", "12.50 CHF".

Hand-written (no locale library is a dependency): a symbol before the amount for the common currencies, the code
after it otherwise; always the currency's own number of decimals, from the kernel's Money.
"""

from __future__ import annotations

from nozzly.kernel.domain.money import Money

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "AUD": "A$", "CAD": "C$", "NZD": "NZ$", "INR": "₹"}


def money_text(amount: int, currency: str) -> str:
    plain = Money(amount, currency).to_decimal_string()
    sign, digits = ("-", plain[1:]) if plain.startswith("-") else ("", plain)
    whole, dot, cents = digits.partition(".")
    grouped = f"{int(whole):,}" + (dot + cents)
    symbol = SYMBOLS.get(currency.upper())
    return f"{sign}{symbol}{grouped}" if symbol else f"{sign}{grouped} {currency.upper()}"
