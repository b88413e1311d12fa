"""`make bench`: cold starts of every function of the template, and storefront read latency via the local cloud.

    python -m tests.bench.run [--repeat N] [--skip-coldstart] [--skip-load] [--requests N] [--clients N]
                              [--skip-carts] [--shoppers N] [--skip-growth] [--skip-dashboard] [--skip-pages]
                              [--skip-webhooks]
                              [--skip-costs] [--skip-imports] [--imports N] [--skip-start]
                              [--skip-idle] [--idle-minutes M]

Run from the repository root. Load goes to 127.0.0.1 only and is bounded in count and time; the local cloud
the bench starts is always stopped. Nothing here is collected by pytest (no test_*.py files).
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Callable
from typing import NoReturn

from tests.bench import (
    carts,
    coldstart,
    costs,
    dashboard,
    emulator,
    gateway,
    growth,
    idle,
    imports,
    load,
    pages,
    realtime,
    start,
    webhooks,
)
from tests.bench.report import busy_warning, heading, loadavg, machine


def _progress(message: str) -> None:
    print(f"  .. {message}", file=sys.stderr, flush=True)


def _terminated(signum: int, frame: object) -> NoReturn:
    raise SystemExit(128 + signum)  # unwinds like Ctrl-C: the local cloud is stopped on the way out


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="cold-start samples per function (default 7)")
    parser.add_argument("--skip-coldstart", action="store_true", help="skip section 1")
    parser.add_argument("--skip-load", action="store_true", help="skip section 2 (no local cloud)")
    parser.add_argument("--requests", type=int, default=400, help="requests per endpoint (default 400)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--time-cap", type=float, default=30.0, help="seconds per endpoint at most (default 30)")
    parser.add_argument("--skip-carts", action="store_true", help="skip section 2b (carts and checkout)")
    parser.add_argument("--shoppers", type=int, default=100, help="concurrent shoppers in 2b (default 100)")
    parser.add_argument(
        "--skip-growth", action="store_true", help="skip section 2c (checkout before and after 5,000 products)"
    )
    parser.add_argument(
        "--skip-dashboard", action="store_true", help="skip section 4 (dashboard at 10 and 10,000 orders)"
    )
    parser.add_argument("--skip-pages", action="store_true", help="skip section 5 (shop pages and Lighthouse)")
    parser.add_argument("--skip-webhooks", action="store_true", help="skip section 6 (100 webhook deliveries)")
    parser.add_argument("--skip-costs", action="store_true", help="skip section 9 (AWS cost of an order, page views)")
    parser.add_argument("--skip-start", action="store_true", help="skip section 10 (make run's start to ready)")
    parser.add_argument("--carts-time-cap", type=float, default=180.0, help="seconds for 2b at most (default 180)")
    parser.add_argument("--skip-imports", action="store_true", help="skip section 10 (one bulk import of 50)")
    parser.add_argument(
        "--imports", type=int, default=imports.IMPORTS, help="products in section 10 (1-50, default 50)"
    )
    parser.add_argument("--skip-idle", action="store_true", help="skip section 12 (make run left idle)")
    parser.add_argument(
        "--idle-minutes", type=float, default=5.0, help="minutes of section 12 (default 5; 60 for the goal's hour)"
    )
    args = parser.parse_args(argv)
    if min(args.repeat, args.requests, args.clients, args.shoppers) < 1 or min(args.time_cap, args.carts_time_cap) <= 0:
        parser.error("--repeat, --requests, --clients, --shoppers and the time caps must be positive")
    if args.idle_minutes <= 0:
        parser.error("--idle-minutes must be positive")
    if not 1 <= args.imports <= imports.IMPORTS:
        parser.error(f"--imports is 1 to {imports.IMPORTS} (one bulk import's limit)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    signal.signal(signal.SIGTERM, _terminated)
    load_at_start = loadavg()
    began = time.perf_counter()
    print(heading("Nozzly bench"))
    print(f"  {machine(load_at_start, at_end=False)}", flush=True)
    warning = busy_warning()
    if warning:
        print(warning, flush=True)
    summary: list[str] = []
    if not args.skip_coldstart:
        found, notes, endpoint = coldstart.measure(args.repeat, _progress)
        section, lines = coldstart.render(found, notes, endpoint, args.repeat)
        print("\n".join(section), flush=True)
        summary += [*lines, ""]
    sections: list[tuple[bool, Callable[[], tuple[list[str], list[str]]]]] = [
        (args.skip_load, lambda: load.measure(args.requests, args.clients, args.time_cap, _progress)),
        (args.skip_carts, lambda: carts.measure(args.shoppers, args.carts_time_cap, _progress)),
        (args.skip_growth, lambda: growth.measure(_progress)),
        (args.skip_dashboard, lambda: dashboard.measure(_progress)),
        (args.skip_pages, lambda: pages.measure(_progress)),
        (args.skip_webhooks, lambda: webhooks.measure(_progress)),
        (args.skip_costs, lambda: costs.measure(_progress)),
        (args.skip_imports, lambda: imports.measure(_progress, args.imports)),
        (args.skip_start, lambda: start.measure(_progress)),
        (args.skip_idle, lambda: idle.measure(_progress, args.idle_minutes)),
        *((False, lambda m=m: m(_progress)) for m in (gateway.measure, emulator.measure, realtime.measure)),
    ]
    for skipped, measured in sections:
        if not skipped:
            section, lines = measured()
            print("\n".join(section), flush=True)
            summary += [*lines, ""]
    print(heading("3. Summary (paste into the issue)"))
    print("```text")
    print(f"Nozzly bench: {machine(load_at_start)}; took {time.perf_counter() - began:.0f} s")
    if warning:
        print(warning.strip())
    print("\n".join(summary).rstrip())
    print("```", flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\nbench interrupted (anything it started has been stopped)", file=sys.stderr)
        sys.exit(130)
