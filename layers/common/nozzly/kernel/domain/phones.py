"""Phone numbers as Nozzly stores them: E.164, whoever typed them (a shopper's profile, a store's support line)."""

from __future__ import annotations

import re

from nozzly.kernel.domain.errors import InvalidInput

_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")  # ITU-T E.164: a country code and at most 15 digits in all


def normalise_phone(raw: str, field: str = "phone") -> str:
    """A phone number in E.164 (+ and digits); spaces, dots, dashes and brackets people type are dropped."""
    phone = re.sub(r"[\s().-]", "", raw)
    if not _E164.match(phone):
        raise InvalidInput("a phone number in international format, like +4930123456, is required", field=field)
    return phone
