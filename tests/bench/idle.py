"""Section 12: what `make run` costs while nobody uses it (issue 23's goal: under 2 % of one core, memory flat
over an hour, process count and RSS reported).

`python -m localcloud.run` starts as a developer starts it (demo store seeded, state kept in a temporary
folder, free ports). After it is ready and has settled, its whole process tree is sampled every
SAMPLE_SECONDS: CPU seconds used in the window, resident memory per kind of process, and how many there are.
Memory drift is the least-squares slope of the tree's RSS, in MB per hour, over the window and over its second
half (after the instances the start woke have been stopped as idle).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from localcloud.template import ROOT
from tests.bench.report import heading, loadavg, table
from tests.bench.start import READY, TIMEOUT, _ports

SETTLE_SECONDS = 60.0  # after ready: the seed's stream records and first snapshot save are start-up work
SAMPLE_SECONDS = 30.0
CPU_GOAL_PERCENT = 2.0
DRIFT_GOAL_MB_PER_HOUR = 20.0  # "flat": growing less than this after a start of about 1.7 GB


@dataclass
class Sample:
    at: float  # s since the window opened
    cpu: float  # CPU seconds of the live tree, cumulative
    rss_by_kind: dict[str, int]  # bytes
    processes: int


@dataclass
class Window:
    samples: list[Sample] = field(default_factory=list)
    exited_cpu: float = 0.0  # CPU seconds of processes that ended inside the window (a worker replaced, ...)


def kind(process: psutil.Process) -> str:
    """The process's part of the stack, from its command line."""
    try:
        line = " ".join(process.cmdline())
    except psutil.Error:
        return "gone"
    for module, name in (
        ("localcloud.emulator", "emulator"),
        ("localcloud.gateway", "functions"),
        ("localcloud.worker_main", "function instances"),
        ("localcloud.zygote", "function instances"),  # the zygote and the instances forked from it
        ("localcloud.run", "supervisor"),
    ):
        if module in line:
            return name
    return "peers and others"


def tree(root: psutil.Process) -> list[psutil.Process]:
    try:
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def sample(root: psutil.Process, at: float, seen: dict[int, float], window: Window) -> Sample:
    cpu = 0.0
    rss: dict[str, int] = defaultdict(int)
    alive: dict[int, float] = {}
    for process in tree(root):
        try:
            with process.oneshot():
                times = process.cpu_times()
                used = times.user + times.system
                rss[kind(process)] += process.memory_info().rss
        except psutil.Error:
            continue
        alive[process.pid] = used
        cpu += used
    window.exited_cpu += sum(used for pid, used in seen.items() if pid not in alive)
    seen.clear()
    seen.update(alive)
    return Sample(at, cpu + window.exited_cpu, dict(rss), len(alive))


def slope_mb_per_hour(samples: list[Sample]) -> float:
    xs = [s.at for s in samples]
    ys = [sum(s.rss_by_kind.values()) / 1e6 for s in samples]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return 0.0
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread * 3600


def watch(minutes: float, progress: Callable[[str], None]) -> tuple[float, Window, str]:
    """Start make run's stack, let it settle, sample it for `minutes`: (start seconds, window, load)."""
    with tempfile.TemporaryDirectory(prefix="nozzly-bench-idle-") as folder:
        env = os.environ | _ports() | {"NOZZLY_PERSIST": "1", "NOZZLY_STATE_DIR": str(Path(folder) / "state")}
        began = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-u", "-m", "localcloud.run"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        try:
            assert process.stdout is not None
            for line in process.stdout:
                if READY in line:
                    break
                if time.monotonic() - began > TIMEOUT:
                    raise TimeoutError(f"not ready within {TIMEOUT} s")
            else:
                raise RuntimeError(f"localcloud.run exited with {process.wait()}")
            ready = time.monotonic() - began
            # Its output is no longer read: an idle stack writes nothing, and a full pipe must not stall it.
            threading.Thread(target=process.stdout.read, daemon=True).start()
            progress(f"idle: ready in {ready:.0f} s; settling {SETTLE_SECONDS:.0f} s, then {minutes:g} min sampled")
            time.sleep(SETTLE_SECONDS)
            root = psutil.Process(process.pid)
            window, seen = Window(), dict[int, float]()
            load = loadavg()
            opened = time.monotonic()
            while True:
                at = time.monotonic() - opened
                window.samples.append(sample(root, at, seen, window))
                if at >= minutes * 60:
                    break
                if len(window.samples) % 10 == 0:
                    progress(f"idle: {at / 60:.0f} of {minutes:g} min")
                time.sleep(min(SAMPLE_SECONDS, max(0.0, minutes * 60 - at)))
            return ready, window, load
        finally:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=180)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def measure(progress: Callable[[str], None], minutes: float) -> tuple[list[str], list[str]]:
    ready, window, load = watch(minutes, progress)
    first, last = window.samples[0], window.samples[-1]
    seconds = last.at - first.at
    cpu_percent = 100 * (last.cpu - first.cpu) / seconds if seconds else float("nan")
    drift = slope_mb_per_hour(window.samples)
    kinds = sorted(set(first.rss_by_kind) | set(last.rss_by_kind))
    peak = {k: max(s.rss_by_kind.get(k, 0) for s in window.samples) for k in kinds}
    rows = [
        [k, *(f"{v / 1e6:,.0f}" for v in (first.rss_by_kind.get(k, 0), last.rss_by_kind.get(k, 0), peak[k]))]
        for k in kinds
    ]
    total_first, total_last = sum(first.rss_by_kind.values()), sum(last.rss_by_kind.values())
    rows.append(["whole stack", f"{total_first / 1e6:,.0f}", f"{total_last / 1e6:,.0f}", ""])
    cpu_met = "met" if cpu_percent < CPU_GOAL_PERCENT else "NOT met"
    later = slope_mb_per_hour(window.samples[len(window.samples) // 2 :])
    # Growth is the leak the goal is about; a stack that shrinks (idle instances stopped) is not one.
    flat_met = "met" if max(drift, later) < DRIFT_GOAL_MB_PER_HOUR else "NOT met"
    section = [
        heading("12. make run left idle"),
        f"  seeded demo stack ready in {ready:.0f} s, settled {SETTLE_SECONDS:.0f} s, then sampled every "
        f"{SAMPLE_SECONDS:.0f} s for {seconds / 60:.1f} min (load at the window's start {load})",
        f"  CPU: {cpu_percent:.2f} % of one core (goal < {CPU_GOAL_PERCENT:.0f} %: {cpu_met}); "
        f"processes: {first.processes} at the start, {last.processes} at the end",
        *table(["RSS, MB", "start", "end", "peak"], rows),
        f"  memory drift: {drift:+.1f} MB/hour over the window, {later:+.1f} MB/hour over its second half "
        f"(least squares; goal: no growth over {DRIFT_GOAL_MB_PER_HOUR:.0f} MB/hour: {flat_met})",
    ]
    summary = [
        f"idle {seconds / 60:.0f} min: {cpu_percent:.2f} % of a core, RSS {total_first / 1e6:,.0f} -> "
        f"{total_last / 1e6:,.0f} MB ({drift:+.1f} MB/h; second half {later:+.1f} MB/h), {last.processes} processes"
    ]
    return section, summary
