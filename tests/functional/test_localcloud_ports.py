"""`make run` refuses to start when any of its ports is taken, naming the variable that moves it, before it
starts anything (a payment peer that cannot bind would leave the stack talking to another stack's peer)."""

from __future__ import annotations

import socket
import subprocess

import pytest

from localcloud import run

pytestmark = pytest.mark.functional


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("variable", ["NOZZLY_STRIPE_PORT", "NOZZLY_SQUARE_PORT", "NOZZLY_API_PORT"])
def test_a_taken_port_stops_the_start_and_names_its_variable(monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        # Every other port free (other tests' local clouds hold the defaults), so the taken one is the one named.
        for other in (
            "NOZZLY_EMULATOR_PORT",
            "NOZZLY_API_PORT",
            "NOZZLY_STRIPE_PORT",
            "NOZZLY_SQUARE_PORT",
            "NOZZLY_WS_PORT",
            "NOZZLY_BEDROCK_PORT",
            "NOZZLY_REDDIT_PORT",
        ):
            monkeypatch.setenv(other, str(free_port()))
        monkeypatch.setenv(variable, str(taken.getsockname()[1]))
        started: list[object] = []
        monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: started.append(a))
        with pytest.raises(RuntimeError, match=f"set {variable} to a free port"):
            run.start(seed=False)
        assert started == []
    finally:
        taken.close()
