"""The load profiles' user counts over time, as (seconds, users, spawn rate) stages, free of Locust."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Stage:
    until_s: float  # the stage ends this many seconds into the run
    users: int
    spawn_rate: float  # users started (or stopped) per second on the way to `users`


PROFILES: dict[str, tuple[Stage, ...]] = {
    # Browse, search, cart and checkout at a steady 20 shoppers for a minute.
    "journey": (Stage(60, 20, 5),),
    # Issue 23's crowd: 50 shoppers through the whole journey for 90 s (their pauses included).
    "fifty": (Stage(90, 50, 10),),
    # 10 shoppers, then 200 within 10 s, held for 30 s, then back to 10.
    "spike": (Stage(15, 10, 10), Stage(55, 200, 19), Stage(75, 10, 50)),
    # A long steady load: 30 shoppers for 10 minutes (memory, leaks, tables growing).
    "soak": (Stage(600, 30, 5),),
    # A few shoppers for a few seconds: the test suite's check that the journey itself works.
    "smoke": (Stage(35, 3, 3),),
}


def stage_at(profile: str, elapsed_s: float) -> tuple[int, float] | None:
    """(users, spawn rate) at this moment of the profile, or None once it is over (the run stops)."""
    for stage in PROFILES[profile]:
        if elapsed_s < stage.until_s:
            return stage.users, stage.spawn_rate
    return None


def duration_s(profile: str) -> float:
    return PROFILES[profile][-1].until_s
