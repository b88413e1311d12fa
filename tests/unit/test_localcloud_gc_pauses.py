"""The emulator's garbage collector (localcloud/gc_pauses.py): after a full collection the survivors are frozen, so
the next one walks only what arrived since; a garbage cycle among frozen objects is reclaimed once the emulator has
been quiet, never while requests keep coming. Run in a fresh interpreter: the collector's state is the process's."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import gc, weakref
    from localcloud.gc_pauses import QUIET_S, SINCE, Collector

    now = [0.0]
    collector = Collector(clock=lambda: now[0])
    collector.install()
    started_frozen = gc.get_freeze_count()

    class Node:
        pass

    def request(environ, start_response):
        return [b"ok"]

    served = collector.counting(request)
    kept = [[i] for i in range(50_000)]  # what a busy emulator accumulates: tables' items, executions
    cycle = Node()
    cycle.me = cycle
    alive = weakref.ref(cycle)
    gc.collect()  # a full collection, as the interpreter runs one now and then
    print("unfrozen after a full collection:", len(gc.get_objects(2)))
    print("survivors frozen:", gc.get_freeze_count() - started_frozen >= len(kept))

    del cycle  # garbage now, but frozen: full collections no longer walk it
    for _ in range(SINCE - 1):
        gc.collect()
    print("cycle alive after more full collections:", alive() is not None)

    now[0] += QUIET_S - 1
    served({}, None)  # a request just now: not quiet
    now[0] += QUIET_S - 1
    print("collected while requests come:", collector.collect_if_quiet(), alive() is not None)
    now[0] += 2
    print("collected once quiet:", collector.collect_if_quiet(), alive() is not None)
    print("collected again with nothing new:", collector.collect_if_quiet())
    print("kept objects survive:", len(kept) == 50_000 and kept[-1] == [49_999])
    """
)


def test_survivors_are_frozen_and_a_frozen_garbage_cycle_is_reclaimed_once_quiet() -> None:
    ran = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    assert ran.stdout.splitlines() == [
        "unfrozen after a full collection: 0",
        "survivors frozen: True",
        "cycle alive after more full collections: True",
        "collected while requests come: False True",
        "collected once quiet: True False",
        "collected again with nothing new: False",
        "kept objects survive: True",
    ]
