"""Small helpers of the bench report: statistics, aligned tables, the machine line."""

from __future__ import annotations

import math
import os
import platform
import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime
from statistics import median

from localcloud.template import ROOT


def med(values: Sequence[float]) -> float:
    return median(values) if values else math.nan


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of unsorted values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def table(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    """Left-aligned first column, right-aligned others."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        parts = [
            str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return indent + "  ".join(parts).rstrip()

    return [line(header), indent + "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def heading(title: str) -> str:
    return f"\n=== {title} " + "=" * max(3, 96 - len(title))


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=False)
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def loadavg() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def nproc() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def busy_warning() -> str | None:
    load1 = os.getloadavg()[0]
    if load1 <= 0.5 * nproc():
        return None
    return f"  WARNING: 1-minute load average {load1:.2f} on {nproc()} CPUs before the bench: expect noisy numbers."


def machine(load_at_start: str, at_end: bool = True) -> str:
    commit = _git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = "+dirty" if _git("status", "--porcelain") else ""
    python = f"{platform.python_implementation()} {platform.python_version()}"
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{stamp}; commit {commit}{dirty}; nproc {nproc()}; {python}; "
        f"{platform.system()} {platform.machine()}; loadavg at start {load_at_start}"
        + (f", at end {loadavg()}" if at_end else "")
    )
