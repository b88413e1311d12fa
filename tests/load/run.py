"""`make load`: a Locust profile against a local cloud of its own on 127.0.0.1, or against a stack you name.

Locally: start the stack without the demo seed, open the bench store (one product, plentiful stock), write
guest sessions straight to the identity table (POST /sessions allows 30 per IP and hour, and every local
shopper is 127.0.0.1), run Locust headless for the profile's length, print its summary and stop everything.
The exit code is Locust's: 1 when a threshold was missed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from tests.load.shapes import PROFILES, duration_s

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
SESSIONS_PER_RUN = 400  # more than any profile's users: each shopper keeps one for the run


def locust(host: str, profile: str, env: dict[str, str], csv_prefix: str) -> int:
    """Locust headless, bounded by the profile's shape and a hard cap on top of it."""
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        host,
        "--csv",
        csv_prefix,
        "--only-summary",
        "--stop-timeout",
        "10",
    ]
    cap = duration_s(profile) + 60
    return subprocess.run(
        command, check=False, env=os.environ | env | {"LOAD_PROFILE": profile}, timeout=cap
    ).returncode


def local(profile: str) -> int:
    from tests.bench.carts import PRODUCT, STORE, guest_sessions, local_cloud, open_store

    with local_cloud() as (port, summary, log_path, names):
        print(f"load: local cloud on 127.0.0.1:{port} ({summary}); its logs: {log_path}", flush=True)
        open_store(names)
        handle, sessions = tempfile.mkstemp(prefix="nozzly-load-sessions-")
        os.close(handle)
        Path(sessions).write_text("\n".join(guest_sessions(names, SESSIONS_PER_RUN)))
        env = {"LOAD_STORE": STORE, "LOAD_PRODUCT": PRODUCT, "LOAD_SEARCH": "lantern", "LOAD_SESSIONS": sessions}
        return locust(f"http://127.0.0.1:{port}", profile, env, f"{tempfile.gettempdir()}/nozzly-load-{profile}")


def remote(host: str, profile: str, store: str, product: str) -> int:
    if urlsplit(host).scheme != "https":
        raise SystemExit("load: a deployed stack is reached over https (HOST=https://...)")
    print(f"load: {profile} against {host}, store {store}: this sends real traffic to that stack", flush=True)
    env = {"LOAD_STORE": store, "LOAD_PRODUCT": product, "LOAD_SEARCH": product.split("-", maxsplit=1)[0]}
    return locust(host, profile, env, f"{tempfile.gettempdir()}/nozzly-load-{profile}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=sorted(PROFILES), default="journey")
    parser.add_argument("--host", default="", help="a deployed stack's https URL; empty: a local cloud of its own")
    parser.add_argument("--store", default="", help="with --host: a store of yours with stock of --product")
    parser.add_argument("--product", default="")
    args = parser.parse_args()
    if not args.host:
        return local(args.profile)
    if not args.store or not args.product:
        parser.error("--host needs --store and --product")
    return remote(args.host, args.profile, args.store, args.product)


if __name__ == "__main__":
    sys.exit(main())
