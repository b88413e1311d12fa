"""Section 12: what `make run` costs while nobody uses it (issue 23's goal: under 2 % of one core, memory flat
over an hour, process count and RSS reported).

`python -m localcloud.run` starts as a developer starts it (demo store seeded, state kept in a temporary
folder, free ports). After it is ready and has settled, its whole process tree is sampled every
SAMPLE_SECONDS: CPU seconds used in the window, resident memory per kind of process, and how many there are.
Memory drift is a least-squares slope in MB per hour, over the window and over its second half, of what lives
all day: the emulator, the functions process, the zygote, the supervisor and the peers. Function instances come
and go with the schedules (a rate(5 minutes) function's instance starts 5 minutes in, a rate(15 minutes) one's is
stopped as idle between its runs), so the stack's total is a staircase, not a trend; they are reported by count
and RSS, and each instance that lived through half the window or more has its own slope.
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
    instances: dict[int, int] = field(default_factory=dict)  # pid -> RSS bytes of each function instance


@dataclass
class Window:
    samples: list[Sample] = field(default_factory=list)
    exited_cpu: float = 0.0  # CPU seconds of processes that ended inside the window (a worker replaced, ...)


INSTANCES = "function instances"


def kind(process: psutil.Process) -> str:
    """The process's part of the stack, from its command line (a forked instance keeps its zygote's)."""
    try:
        line = " ".join(process.cmdline())
        if "localcloud.zygote" in line:
            parent = process.parent()
            return INSTANCES if parent is not None and "localcloud.zygote" in " ".join(parent.cmdline()) else "zygote"
    except psutil.Error:
        return "gone"
    for module, name in (
        ("localcloud.emulator", "emulator"),
        ("localcloud.gateway", "functions"),
        ("localcloud.worker_main", INSTANCES),
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
    instances: dict[int, int] = {}
    alive: dict[int, float] = {}
    for process in tree(root):
        try:
            with process.oneshot():
                times = process.cpu_times()
                used = times.user + times.system
                part, resident = kind(process), process.memory_info().rss
        except psutil.Error:
            continue
        rss[part] += resident
        if part == INSTANCES:
            instances[process.pid] = resident
        alive[process.pid] = used
        cpu += used
    window.exited_cpu += sum(used for pid, used in seen.items() if pid not in alive)
    seen.clear()
    seen.update(alive)
    return Sample(at, cpu + window.exited_cpu, dict(rss), len(alive), instances)


def long_lived_mb(sample: Sample) -> float:
    return sum(v for k, v in sample.rss_by_kind.items() if k != INSTANCES) / 1e6


def slope_mb_per_hour(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) points, in MB per hour."""
    if len(points) < 2:
        return 0.0
    xs, ys = [x for x, _ in points], [y for _, y in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return 0.0
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread * 3600


@dataclass(frozen=True)
class Drift:
    whole: float  # MB/h of the long-lived processes over the window
    later: float  # the same over its second half
    instance: float  # the steepest slope of an instance that lived through half the window or more (0 if none)
    instance_minutes: float  # how long that instance was seen

    @property
    def flat(self) -> bool:
        # Growth is the leak the goal is about; a stack that shrinks is not one.
        return max(self.whole, self.later, self.instance) < DRIFT_GOAL_MB_PER_HOUR


def drift(samples: list[Sample]) -> Drift:
    stack = [(s.at, long_lived_mb(s)) for s in samples]
    lives: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for s in samples:
        for pid, resident in s.instances.items():
            lives[pid].append((s.at, resident / 1e6))
    lasting = [points for points in lives.values() if len(points) * 2 >= len(samples)]
    steepest = max(lasting, key=slope_mb_per_hour, default=[])
    return Drift(
        slope_mb_per_hour(stack),
        slope_mb_per_hour(stack[len(stack) // 2 :]),
        slope_mb_per_hour(steepest),
        (steepest[-1][0] - steepest[0][0]) / 60 if steepest else 0.0,
    )


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
    found = drift(window.samples)
    kinds = sorted(set().union(*(s.rss_by_kind for s in window.samples)))
    peak = {k: max(s.rss_by_kind.get(k, 0) for s in window.samples) for k in kinds}
    rows = [
        [k, *(f"{v / 1e6:,.0f}" for v in (first.rss_by_kind.get(k, 0), last.rss_by_kind.get(k, 0), peak[k]))]
        for k in kinds
    ]
    total_first, total_last = sum(first.rss_by_kind.values()), sum(last.rss_by_kind.values())
    rows.append(["whole stack", f"{total_first / 1e6:,.0f}", f"{total_last / 1e6:,.0f}", ""])
    counts = [len(s.instances) for s in window.samples]
    cpu_met = "met" if cpu_percent < CPU_GOAL_PERCENT else "NOT met"
    flat_met = "met" if found.flat else "NOT met"
    lasting = (
        f"the longest-lived instance ({found.instance_minutes:.0f} min) {found.instance:+.1f} MB/hour"
        if found.instance_minutes
        else "no instance lived through half the window"
    )
    section = [
        heading("12. make run left idle"),
        f"  seeded demo stack ready in {ready:.0f} s, settled {SETTLE_SECONDS:.0f} s, then sampled every "
        f"{SAMPLE_SECONDS:.0f} s for {seconds / 60:.1f} min (load at the window's start {load})",
        f"  CPU: {cpu_percent:.2f} % of one core (goal < {CPU_GOAL_PERCENT:.0f} %: {cpu_met}); "
        f"processes: {first.processes} at the start, {last.processes} at the end; "
        f"function instances: {min(counts)} to {max(counts)} at once (schedules start them, idle ones are stopped)",
        *table(["RSS, MB", "start", "end", "peak"], rows),
        f"  memory drift of the long-lived processes: {found.whole:+.1f} MB/hour over the window, "
        f"{found.later:+.1f} MB/hour over its second half; {lasting} "
        f"(least squares; goal: no growth over {DRIFT_GOAL_MB_PER_HOUR:.0f} MB/hour: {flat_met})",
    ]
    summary = [
        f"idle {seconds / 60:.0f} min: {cpu_percent:.2f} % of a core, RSS {total_first / 1e6:,.0f} -> "
        f"{total_last / 1e6:,.0f} MB; long-lived {found.whole:+.1f} MB/h (second half {found.later:+.1f} MB/h), "
        f"lasting instance {found.instance:+.1f} MB/h; {last.processes} processes"
    ]
    return section, summary
