"""The emulator's state kept between runs: a pickle of moto's backends in `.localcloud/state/`.

LocalStack persists moto the same way (it pickles the backends). moto's request recorder could replay a
day's calls instead, but replaying is as slow as the day was and the ids it hands out would differ.

What is saved: every moto backend in use (tables, stream records, buckets and objects, Cognito pools, users
and tokens, queues, rules, state machines and executions, functions, SES's sent mail), plus what the
emulator process itself remembers beside moto (the stream pollers' positions, see `extras`). Saved when the
emulator stops (SIGINT/SIGTERM) and, when a request changed something, at a quiet moment (see Saver.due);
restored before anything is served. `make run` turns it on (NOZZLY_PERSIST=1, folder NOZZLY_STATE_DIR); tests and
benches leave it off, so they start clean. `make reset` deletes the folder.

A snapshot written by another moto or Python, or one that does not load, is moved aside (`*.discarded`) with
one log line, and the stack starts empty. Locks, conditions and events are not state: they are pickled as new
ones, so the restored objects get fresh, unlocked locks.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from localcloud.moto_pickle import Pickler, Unpickler, backend_dicts, backend_states, fill_backends
from localcloud.template import ROOT

log = logging.getLogger("localcloud.persistence")
PINNED_MOTO = "5.2.5"  # pickles hold moto's classes: a snapshot loads only into the moto that wrote it
FORMAT = 1  # bump when what is saved changes shape
SNAPSHOT = "emulator.pickle"
# A snapshot is pickled under the DynamoDB lock: under the 50-shopper profile it took 0.2, 0.4 and 0.7 s as the
# state grew to 20 MB, and every request waited (that window's p95 went from about 150 to 630 ms). So the state is
# saved once nothing has been asked of the emulator for SAVE_QUIET_S, at most every SAVE_INTERVAL, and at the
# latest SAVE_LATEST seconds after it changed, however busy the emulator is.
SAVE_INTERVAL = 30.0
SAVE_QUIET_S = 2.0
SAVE_LATEST = 300.0
_ON = ("1", "true", "yes", "on")

# Saved beside moto's backends: name -> (read what to keep, put it back). The stream pollers register theirs.
Extra = tuple[Callable[[], Any], Callable[[Any], None]]
extras: dict[str, Extra] = {}


def state_dir() -> Path | None:
    """Where state is kept, or None when the local cloud must start clean and forget (tests, benches)."""
    if os.environ.get("NOZZLY_PERSIST", "").lower() not in _ON:
        return None
    return Path(os.environ.get("NOZZLY_STATE_DIR") or ROOT / ".localcloud" / "state")


def _header() -> dict[str, Any]:
    import moto

    return {"format": FORMAT, "moto": moto.__version__, "python": list(sys.version_info[:2])}


def snapshot_bytes() -> bytes:
    """moto's backends and the extras, pickled (call with DynamoDB calls held, see Saver)."""
    import io

    state = {
        "backends": backend_states(),
        "extras": {name: read() for name, (read, _) in extras.items()},
    }
    buffer = io.BytesIO()
    pickler = Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dump(_header())
    pickler.dump(state)
    return buffer.getvalue()


def culprit() -> str:
    """Where the first object that cannot be pickled sits (service/account/region/attribute), for the log line."""
    import io

    for backend_dict in backend_dicts():
        for account, region, backend in backend_dict.iter_backends():
            for name, value in vars(backend).items():
                try:
                    Pickler(io.BytesIO(), protocol=pickle.HIGHEST_PROTOCOL).dump(value)
                except Exception as error:
                    return f"{backend_dict.service_name}/{account}/{region}/{name}: {error}"
    return "unknown"


def write(folder: Path, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / SNAPSHOT
    partial = target.with_suffix(".partial")
    partial.write_bytes(data)
    os.replace(partial, target)  # a crash mid-write leaves the previous snapshot whole
    return target


def _discard(path: Path, why: str) -> None:
    aside = path.with_name(path.name + ".discarded")
    os.replace(path, aside)
    log.warning("local cloud state: discarding %s (%s); starting with an empty stack (kept as %s)", path, why, aside)


def restore(folder: Path) -> bool:
    """Load the snapshot into moto's live backends; False when there was none or it was discarded."""
    path = folder / SNAPSHOT
    if not path.exists():
        return False
    try:
        with path.open("rb") as file:
            unpickler = Unpickler(file)
            header = unpickler.load()
            if header != _header():
                _discard(path, f"written by {header}, this is {_header()}")
                return False
            state = unpickler.load()
    except Exception as error:  # a torn or foreign file: nothing of it is trusted
        _discard(path, f"unreadable: {type(error).__name__}: {error}")
        return False
    fill_backends(state["backends"])
    for name, value in state["extras"].items():
        if name in extras:
            extras[name][1](value)
    return True


_READS = ("Get", "List", "Describe", "Query", "Scan", "BatchGet", "Receive")


def changes_state(environ: dict[str, Any]) -> bool:
    """Whether a request to the emulator may change its state (reads and polls do not; when unsure, yes)."""
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        return not target.rsplit(".", 1)[-1].startswith(_READS)
    return environ.get("REQUEST_METHOD", "POST") not in ("GET", "HEAD", "OPTIONS")


class Saver:
    """Counts changes and writes a snapshot when asked, or by itself when something changed (see `due`)."""

    def __init__(
        self, folder: Path, hold: contextlib.AbstractContextManager[Any], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.folder = folder
        self.hold = hold  # the DynamoDB lock: no write or transaction is half applied in a snapshot
        self.clock = clock
        self.changes = 0
        self.saved = 0
        self.last_request = self.saved_at = clock()
        self.changed_at: float | None = None  # the first change the last snapshot does not hold
        self._lock = threading.Lock()

    def wrap(self, app: Any) -> Any:
        def counting_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            self.last_request = self.clock()
            if changes_state(environ):
                if self.changes == self.saved:
                    self.changed_at = self.last_request
                self.changes += 1
            return app(environ, start_response)

        return counting_app

    def due(self) -> bool:
        """Whether to save now: something changed, and the emulator has been quiet for SAVE_QUIET_S with the last
        snapshot SAVE_INTERVAL old, or the change is SAVE_LATEST old."""
        if self.changes == self.saved:
            return False
        now = self.clock()
        if self.changed_at is not None and now - self.changed_at >= SAVE_LATEST:
            return True
        return now - self.last_request >= SAVE_QUIET_S and now - self.saved_at >= SAVE_INTERVAL

    def save(self, reason: str) -> bool:
        """Write a snapshot now; False (and one log line saying where it failed) when it could not."""
        try:
            return self._save(reason)
        except Exception as error:  # a failed save must not end the emulator; the next one retries
            log.error("local cloud state: not saved (%s): %s (at %s)", reason, error, culprit())
            return False

    def _save(self, reason: str) -> bool:
        with self._lock:
            began, changes = time.monotonic(), self.changes
            data = None
            for _ in range(3):  # another service's thread may resize a dict mid-pickle; a new try sees it whole
                with self.hold, contextlib.suppress(RuntimeError):
                    data = snapshot_bytes()
                    break
            if data is None:
                log.warning("local cloud state: not saved (%s): the state kept changing while pickled", reason)
                return False
            path = write(self.folder, data)
            self.saved, self.saved_at = changes, self.clock()
            self.changed_at = None if self.changes == changes else self.saved_at  # changed while it was pickled
            took = time.monotonic() - began
            print(f"local cloud state saved ({reason}): {path}, {len(data) / 1e6:.1f} MB in {took:.1f} s", flush=True)
            return True

    def every(self, interval: float, stop: threading.Event) -> None:
        while not stop.wait(interval):
            if self.due():
                self.save("quiet" if self.clock() - self.last_request >= SAVE_QUIET_S else "overdue")


STATE_PATH = "/_localcloud/state"
RESUME_PATH = "/_localcloud/executions/resume"  # localcloud/executions.py serves it


def with_state_route(app: Any, status: dict[str, Any]) -> Any:
    """`GET <emulator>/_localcloud/state`: whether state is kept and whether this run restored it (the seed asks)."""
    import json

    def state_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("PATH_INFO") != STATE_PATH:
            return app(environ, start_response)
        body = json.dumps(status).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    return state_app
