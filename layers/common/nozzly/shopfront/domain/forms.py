"""Reading what a shop form sent, before any service sees it: whole numbers and plain-words messages."""

from __future__ import annotations

from collections.abc import Mapping

from nozzly.kernel.domain.errors import InvalidInput


def text(form: Mapping[str, object], name: str, limit: int = 400) -> str:
    """A field's text, trimmed; "" when absent or not text (a file, a list)."""
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def quantity(form: Mapping[str, object], *, minimum: int, maximum: int) -> int:
    """The quantity field as a whole number in range, or InvalidInput in words a shopper reads."""
    raw = text(form, "quantity", 12)
    if not raw.isdigit():
        raise InvalidInput("Please enter the quantity as a whole number.", field="quantity")
    number = int(raw)
    if not minimum <= number <= maximum:
        raise InvalidInput(f"Please choose a quantity from {minimum} to {maximum}.", field="quantity")
    return number


def sentence(message: str) -> str:
    """A service's message ("only 2 of SKU left") as a sentence on a page ("Only 2 of SKU left.")."""
    flat = " ".join(message.split())
    if not flat:
        return flat
    flat = flat[0].upper() + flat[1:]
    return flat if flat[-1] in ".!?" else flat + "."
