"""Where a rule applies: countries, optionally narrowed to regions (states, provinces) and postal-code prefixes.

Tax zones and shipping zones both match a destination this way; the most specific matching zone wins (a postal
prefix beats a region, a region beats a whole country, a longer prefix beats a shorter one), and among equally
specific zones the one listed first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from nozzly.kernel.domain.errors import InvalidInput

T = TypeVar("T")
MAX_ENTRIES = 500  # countries, regions or prefixes in one zone: a zone is a rule, not an address book


def _code(value: str) -> str:
    return value.strip().upper()


def postal_key(value: str) -> str:
    """Postal codes compared without spaces or dashes and in capitals ("SW1A 1AA" starts with "SW1")."""
    return "".join(ch for ch in value.upper() if ch.isalnum())


@dataclass(frozen=True, slots=True)
class Destination:
    country: str
    region: str | None = None
    postal_code: str | None = None


@dataclass(frozen=True, slots=True)
class Area:
    countries: tuple[str, ...]
    regions: tuple[str, ...] = ()
    postal_prefixes: tuple[str, ...] = ()

    @staticmethod
    def validated(
        countries: Sequence[str], regions: Sequence[str] = (), postal_prefixes: Sequence[str] = (), *, field: str
    ) -> Area:
        codes = tuple(dict.fromkeys(_code(c) for c in countries))
        if not codes:
            raise InvalidInput("a zone needs at least one country", field=f"{field}.countries")
        for code in codes:
            if len(code) != 2 or not code.isalpha() or not code.isascii():
                raise InvalidInput(f"{code!r} is not an ISO 3166-1 alpha-2 country code", field=f"{field}.countries")
        named = tuple(dict.fromkeys(_code(r) for r in regions if r.strip()))
        prefixes = tuple(dict.fromkeys(postal_key(p) for p in postal_prefixes if postal_key(p)))
        if max(len(codes), len(named), len(prefixes)) > MAX_ENTRIES:
            raise InvalidInput(f"a zone lists at most {MAX_ENTRIES} entries of each kind", field=field)
        return Area(codes, named, prefixes)

    def specificity(self, to: Destination) -> int | None:
        """How closely this area names the destination; None if it does not contain it."""
        if _code(to.country) not in self.countries:
            return None
        score = 1
        if self.regions:
            if to.region is None or _code(to.region) not in self.regions:
                return None
            score += 1
        if self.postal_prefixes:
            key = postal_key(to.postal_code or "")
            matched = [p for p in self.postal_prefixes if key.startswith(p)]
            if not matched:
                return None
            score += 100 + max(len(p) for p in matched)
        return score


def best_match(zones: Sequence[T], area_of: Callable[[T], Area], to: Destination) -> T | None:
    """The most specific zone containing the destination (the first listed among equals), or None."""
    found: T | None = None
    best = 0
    for zone in zones:
        score = area_of(zone).specificity(to)
        if score is not None and score > best:
            found, best = zone, score
    return found
