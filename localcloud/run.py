"""`make run`: the emulator, the template's resources in it, the functions, and the demo store.

Prints the URLs and one ready line; Ctrl-C stops everything cleanly.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from typing import Any

from localcloud import edge, reddit_peer, supplier_peer, warm_start
from localcloud.bedrock_peer import start_peer as start_bedrock_peer
from localcloud.clients import aws_clients
from localcloud.payments.config import square_port, stripe_port
from localcloud.payments.peers import start_peers
from localcloud.payments.peers import summary as payment_peers_summary
from localcloud.persistence import RESUME_PATH, STATE_PATH
from localcloud.ports import (
    api_port,
    bedrock_port,
    bedrock_url,
    emulator_port,
    emulator_url,
    functions_url,
    listening,
    reddit_port,
    websocket_port,
)
from localcloud.provision import Provisioner
from localcloud.template import ROOT, local_parameters, transformed


def wait_for(url: str, process: subprocess.Popen[bytes], timeout: float = 60, progress: Progress | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        try:
            if listening(url):
                with urllib.request.urlopen(url, timeout=1):
                    return
        except OSError:
            pass
        if progress is not None:
            progress.tick()
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


class Progress:
    """One timed line per phase of the start, and a line while a phase waits, so nothing is silent for 3 s."""

    QUIET = 2.0  # seconds without a line before a waiting phase says it still waits (a poll may take 1 s more)

    def __init__(self) -> None:
        self.began = self.last = time.monotonic()
        self.doing = ""

    def phase(self, text: str) -> None:
        self.doing = text
        self._line(text)

    def tick(self) -> None:
        if time.monotonic() - self.last >= self.QUIET:
            self._line(f"... still {self.doing}")

    def _line(self, text: str) -> None:
        self.last = time.monotonic()
        print(f"  [{self.last - self.began:5.1f} s] {text}", flush=True)


def _check_ports() -> None:
    wanted = {
        "NOZZLY_EMULATOR_PORT": emulator_port(),
        "NOZZLY_API_PORT": api_port(),
        "NOZZLY_STRIPE_PORT": stripe_port(),
        "NOZZLY_SQUARE_PORT": square_port(),
        "NOZZLY_WS_PORT": websocket_port(),
        "NOZZLY_BEDROCK_PORT": bedrock_port(),
        "NOZZLY_REDDIT_PORT": reddit_port(),
    }
    for variable, port in wanted.items():
        if not port_free(port):
            # Checked before anything starts: a peer that cannot bind would leave the stack talking to another's.
            raise RuntimeError(f"127.0.0.1:{port} is in use (another `make run`?); set {variable} to a free port")


def start(seed: bool = True) -> tuple[list[subprocess.Popen[bytes]], str]:
    """Start emulator, peers and functions, provision, seed; returns the processes and a summary."""
    _check_ports()
    # Bound at once, as each port was just found free: a port in the ephemeral range (a test's) may otherwise be
    # taken as some connection's local port by the time the stack is up.
    reddit_peer.serve_in_thread(reddit_port())  # product research's trends (the template's RedditApiUrl)
    progress = Progress()
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    progress.phase("starting the AWS emulator")
    emulator = subprocess.Popen([sys.executable, "-m", EMULATOR_MODULE], cwd=ROOT, env=env)
    processes = [emulator]
    try:
        # The peers need nothing of the emulator: they start while it loads (before the functions: a webhook may
        # arrive at once).
        progress.phase("starting the payment and Bedrock peers")
        processes.extend(start_peers(env))
        processes.append(start_bedrock_peer(env))
        progress.phase("reading template.yaml (the SAM transform is kept in .localcloud/transformed)")
        parameters = local_parameters()  # the ports of now: a test sets its cloud's after importing this module
        cfn = transformed(parameters=parameters)
        fingerprint = warm_start.template_fingerprint(cfn, dict(parameters))
        progress.phase("waiting for the AWS emulator (loading moto, restoring the saved state)")
        wait_for(f"{emulator_url()}/moto-api/", emulator, 180, progress)  # a large snapshot takes a while to load
        client = aws_clients(emulator_url())
        state = _state()
        restored = bool(state.get("restored"))
        if restored:
            progress.phase(f"the emulator restored the saved state ({state['folder']}; `make reset` starts clean)")
        provisioner = Provisioner(cfn, client, dict(parameters))
        note = warm_start.read(client) if restored else None
        note = note if note is not None and note.fingerprint == fingerprint else None
        created = _provision(provisioner, note, progress)
        progress.phase("starting the functions process")
        functions = subprocess.Popen([sys.executable, "-m", FUNCTIONS_MODULE], cwd=ROOT, env=env)
        processes.append(functions)
        wait_for(f"http://127.0.0.1:{api_port()}/_local/ping", functions, progress=progress)
        _serve_in_threads(cfn, provisioner, progress)
        resumed = _resume_executions() if restored else 0
        if resumed:
            progress.phase(f"resumed {resumed} workflow execution(s) the last stop left running")
        note = warm_start.Note(fingerprint, {}, created, note.custom if note else {})
        _custom_resources(provisioner, note, bool(state.get("persisted")), progress)
        summary = f"{created} resources from template.yaml"
        if restored:
            summary += "; state restored (the seed runs on an empty stack only)"
            summary += f"; {resumed} workflow execution(s) resumed" if resumed else ""
        elif seed:
            from localcloud.seed import seed_demo

            progress.phase("seeding the demo store through the API")
            api = f"http://127.0.0.1:{api_port()}"
            summary += f"; demo store: {seed_demo(client, provisioner.resolver, api)}"
        progress.phase("ready")
    except BaseException:
        stop(processes)
        raise
    return processes, summary


def _provision(provisioner: Provisioner, note: warm_start.Note | None, progress: Progress) -> int:
    """Create the template's resources, unless the restored stack's note says it has them all; how many."""
    if note is None:
        total = len(provisioner.cfn["Resources"])
        progress.phase(f"creating the template's resources in the emulator ({total} in the transform)")
        return len(provisioner.run())
    progress.phase(f"the template is unchanged since the saved state was made: its {note.created} resources exist")
    warm_start.adopt(provisioner, note)
    edge.put_provider_secrets(provisioner.client("ssm"), provisioner.resolver.ref("AWS::StackName"))
    return note.created


def _custom_resources(provisioner: Provisioner, note: warm_start.Note, persisted: bool, progress: Progress) -> None:
    """Run the custom resources that changed since `note`; with state kept, note what the next start may skip."""
    progress.phase("running the template's custom resources (publishing the console) if they changed")
    note.custom, ran = warm_start.run_custom_resources(provisioner, note.custom)
    if ran < len(note.custom):
        progress.phase(f"{len(note.custom) - ran} custom resource(s) unchanged since the saved state: not run again")
    if persisted:  # kept in the emulator, with the state it describes
        note.ids = dict(provisioner.resolver.ids)
        warm_start.write(provisioner.client, note)


def _serve_in_threads(cfn: dict[str, Any], provisioner: Provisioner, progress: Progress) -> None:
    """The WebSocket API and the supplier peer, in this process's threads."""
    from localcloud import websocket  # aiohttp: loaded here, so the emulator starts ~1 s sooner

    socket_api = websocket.socket_api(cfn, provisioner.resolver.names)
    if socket_api is not None:
        progress.phase("serving the WebSocket API")
        websocket.serve_in_thread(socket_api, functions_url(), websocket_port())
    supplier = supplier_peer.serve_in_thread()  # the product import's supplier (any free loopback port)
    os.environ["NOZZLY_SUPPLIER_URL"] = f"http://127.0.0.1:{supplier.server_address[1]}"


def _state() -> dict[str, Any]:
    """Whether the emulator keeps state, and whether (and from which folder) it restored some this run."""
    with urllib.request.urlopen(f"{emulator_url()}{STATE_PATH}", timeout=10) as response:
        found: dict[str, Any] = json.load(response)
    return found


def _resume_executions() -> int:
    """Ask the emulator to run on the executions it restored as running (localcloud/executions.py); how many."""
    request = urllib.request.Request(f"{emulator_url()}{RESUME_PATH}", data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return len(json.load(response)["resumed"])


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in reversed(processes):  # functions first, then the emulator
        if process.poll() is None:
            process.terminate()
            try:
                # The emulator saves its state as it stops (localcloud/persistence.py); the others just exit.
                process.wait(timeout=120 if EMULATOR_MODULE in str(process.args) else 10)
            except subprocess.TimeoutExpired:
                process.kill()


RESTARTS_PER_MINUTE = 3  # a functions process that keeps dying is a bug to show, not to hide
FUNCTIONS_MODULE = "localcloud.gateway"
EMULATOR_MODULE = "localcloud.emulator"


def supervise(processes: list[Any], restart: Callable[[], Any], restarts: list[float], now: float) -> str | None:
    """One look at the stack. The functions process is started again when it has exited, since the state
    lives in the emulator; any other exit, or a fourth restart within a minute, stops the stack. Returns why
    the stack must stop, or None."""
    for at, process in enumerate(processes):
        code = process.poll()
        if code is None:
            continue
        if FUNCTIONS_MODULE not in process.args:
            return "a local cloud process exited"
        restarts[:] = [t for t in restarts if now - t < 60]
        if len(restarts) >= RESTARTS_PER_MINUTE:
            return f"the functions process exited {len(restarts) + 1} times within a minute (last code {code})"
        restarts.append(now)
        print(f"the functions process exited (code {code}); starting it again", file=sys.stderr, flush=True)
        processes[at] = restart()
    return None


def _functions_process(env: dict[str, str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, "-m", FUNCTIONS_MODULE], cwd=ROOT, env=env)
    wait_for(f"http://127.0.0.1:{api_port()}/_local/ping", process)
    return process


def main() -> None:
    # `make run` keeps its state between runs (.localcloud/state/); NOZZLY_PERSIST=0 starts clean and forgets.
    os.environ.setdefault("NOZZLY_PERSIST", "1")
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    processes, summary = start(seed="--no-seed" not in sys.argv)
    api = f"http://127.0.0.1:{api_port()}"
    print(
        f"\n  API             {api}\n"
        f"  API docs        {api}/docs\n"
        f"  WebSocket API   ws://127.0.0.1:{websocket_port()}/live   (?token=<a Cognito access token>)\n"
        f"  Demo shop       {api}/shop/mystmereforge/   (open it in a browser)\n"
        f"  Console         {api}/console/   (demo owner: owner@mystmereforge.test / Mystmere-Forge-2026)\n"
        f"  Demo store API  {api}/stores/mystmereforge/products\n"
        f"  AWS emulator    {emulator_url()}  (aws --endpoint-url {emulator_url()} ...)\n"
        f"  Fire schedule   make fire-schedule RULE=CatalogStatsNightlyReconcile\n"
        f"{payment_peers_summary()}"
        f"  Bedrock (local) {bedrock_url()}  (Converse API; deterministic copy)\n"
        f"  Supplier        {os.environ.get('NOZZLY_SUPPLIER_URL', '')}/products/EL-100.json  (import it)\n",
        flush=True,
    )
    print(f"Nozzly local cloud ready ({summary}). Ctrl-C to stop.", flush=True)
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    restarts: list[float] = []
    while not done.wait(0.5):
        reason = supervise(processes, lambda: _functions_process(env), restarts, time.monotonic())
        if reason:
            print(f"{reason}; stopping", file=sys.stderr, flush=True)
            break
    stop(processes)
    print("Nozzly local cloud stopped.", flush=True)


if __name__ == "__main__":
    main()
