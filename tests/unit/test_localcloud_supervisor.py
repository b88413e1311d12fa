"""`make run` starts the functions process again when it dies (the state lives in the emulator), and stops
the stack when anything else exits or the functions keep dying."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from localcloud.run import supervise

pytestmark = pytest.mark.unit


@dataclass
class Fake:
    args: list[str]
    code: int | None = None

    def poll(self) -> int | None:
        return self.code


def stack() -> list[Fake]:
    return [Fake(["python", "-m", "localcloud.emulator"]), Fake(["python", "-m", "localcloud.gateway"])]


def test_a_dead_functions_process_is_replaced_and_the_stack_goes_on() -> None:
    processes = stack()
    processes[1].code = -9
    fresh = Fake(["python", "-m", "localcloud.gateway"])
    restarts: list[float] = []
    assert supervise(processes, lambda: fresh, restarts, now=100.0) is None
    assert processes[1] is fresh and restarts == [100.0]
    assert supervise(processes, lambda: fresh, restarts, now=101.0) is None  # all running: nothing to do


def test_a_functions_process_that_keeps_dying_stops_the_stack() -> None:
    processes = stack()
    restarts: list[float] = []

    def dies_again() -> Fake:
        return Fake(["python", "-m", "localcloud.gateway"], code=1)

    processes[1].code = 1
    reasons = [supervise(processes, dies_again, restarts, now=10.0 + n) for n in range(4)]
    assert reasons[:3] == [None, None, None]
    assert reasons[3] == "the functions process exited 4 times within a minute (last code 1)"
    # A minute later the count starts again.
    assert supervise(processes, dies_again, restarts, now=200.0) is None


def test_any_other_exit_stops_the_stack() -> None:
    processes = stack()
    processes[0].code = 0
    assert supervise(processes, lambda: Fake(["python"]), [], now=0.0) == "a local cloud process exited"
