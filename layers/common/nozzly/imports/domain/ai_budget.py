"""AI spend per store and day, in tokens as Bedrock counts them (`usage.totalTokens`).

A call first reserves the most it can cost (the prompt's estimate plus the answer's `maxTokens`), with a
conditional write that fails once the day's budget would be passed; after the call the reservation is
settled to the real usage. So parallel imports of one store can never spend past the budget together, and a
call that fails costs nothing once its reservation is given back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

CHARS_PER_TOKEN: Final = 4  # a conservative estimate for the reservation only; usage settles the truth
DEFAULT_DAILY_TOKENS: Final = 200_000


@dataclass(frozen=True, slots=True)
class Reservation:
    store_id: str
    day: str  # YYYY-MM-DD, UTC
    tokens: int


def day_of(epoch_seconds: float) -> str:
    return datetime.fromtimestamp(epoch_seconds, UTC).strftime("%Y-%m-%d")


def estimate(prompt: str, max_output_tokens: int) -> int:
    return math.ceil(len(prompt) / CHARS_PER_TOKEN) + max_output_tokens


def settlement(reservation: Reservation, used: int) -> int:
    """What to add to the day's count once the call's real usage is known (negative: tokens given back)."""
    return used - reservation.tokens
