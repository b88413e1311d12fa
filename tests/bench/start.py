"""Section 10: how long `make run` takes to be ready, first with an empty state folder and then warm (issue 23's
goal: a warm start ready within 15 s, a line per phase, nothing silent for more than 3 s).

`python -m localcloud.run` runs as a developer runs it, keeping its state in a temporary folder on free ports:
started, stopped with Ctrl-C (which saves the state), and started again. Each line it prints is timed as it
arrives, so the table shows what the developer sees: each phase's share of the warm start and the longest
silence between two lines.
"""

from __future__ import annotations

import itertools
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from localcloud.template import ROOT
from tests.bench.report import heading, loadavg, table

READY = "local cloud ready"
PHASE = re.compile(r"^\s+\[\s*[\d.]+ s\] (?!\.\.\. still)(.*)$")
GOAL_SECONDS, QUIET_SECONDS = 15.0, 3.0
TIMEOUT = 600.0


def _ports() -> dict[str, str]:
    from tests.e2e.conftest import free_loopback_ports

    names = ("EMULATOR", "API", "STRIPE", "SQUARE", "WS", "BEDROCK", "REDDIT")
    return {f"NOZZLY_{n}_PORT": str(p) for n, p in zip(names, free_loopback_ports(len(names)), strict=True)}


def start_once(env: dict[str, str]) -> tuple[float, list[tuple[float, str]]]:
    """One start to its ready line, then Ctrl-C and wait for the state to be saved: (seconds, timed lines)."""
    began = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "localcloud.run", "--no-seed"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job is
    )
    lines: list[tuple[float, str]] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append((time.monotonic() - began, line.rstrip()))
            if READY in line:
                break
            if time.monotonic() - began > TIMEOUT:
                raise TimeoutError(f"not ready within {TIMEOUT} s")
        else:
            raise RuntimeError(f"localcloud.run exited with {process.wait()}: {lines[-5:]}")
        took = lines[-1][0]
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: the terminal sends it to the whole group
        try:
            process.communicate(timeout=180)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # nothing the bench started outlives it
            process.wait()
    return took, lines


def phases(lines: list[tuple[float, str]]) -> list[tuple[str, float]]:
    """Each phase line and the seconds until the next phase (or ready)."""
    marks = [(at, m.group(1)) for at, text in lines if (m := PHASE.match(text))]
    ends = [at for at, _ in marks[1:]] + [lines[-1][0]]
    return [(text, end - at) for (at, text), end in zip(marks, ends, strict=True)]


def longest_silence(lines: list[tuple[float, str]]) -> float:
    times = [0.0] + [at for at, _ in lines]
    return max(b - a for a, b in itertools.pairwise(times))


def measure(progress: Callable[[str], None]) -> tuple[list[str], list[str]]:
    with tempfile.TemporaryDirectory(prefix="nozzly-bench-state-") as folder:
        env = os.environ | _ports() | {"NOZZLY_PERSIST": "1", "NOZZLY_STATE_DIR": str(Path(folder) / "state")}
        progress("start: a first start into an empty state folder")
        cold, _ = start_once(env)
        progress("start: a warm start (the state folder as the first start left it)")
        load = loadavg()
        warm, lines = start_once(env)
        progress("start: a second warm start")
        again, again_lines = start_once(env)
    best, best_lines = min((warm, lines), (again, again_lines))
    quiet = longest_silence(best_lines)
    rows = [[text[:90], f"{seconds:5.1f} s"] for text, seconds in phases(best_lines)]
    section = [
        heading("11. make run: start to ready"),
        f"  first start (empty state folder, no seed): {cold:.1f} s; warm starts: {warm:.1f} s and {again:.1f} s "
        f"(load {load})",
        *table(["phase of the faster warm start", "took"], rows),
        f"  longest silence between two lines: {quiet:.1f} s (goal < {QUIET_SECONDS:.0f} s); "
        f"warm start goal <= {GOAL_SECONDS:.0f} s: {'met' if best <= GOAL_SECONDS else 'NOT met'}",
    ]
    summary = [f"start: first {cold:.1f} s, warm {warm:.1f} / {again:.1f} s, longest silence {quiet:.1f} s"]
    return section, summary
