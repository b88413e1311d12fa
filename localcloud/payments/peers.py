"""Starting the payment peers as processes: by `make run` (localcloud.run) and the e2e fixture."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request

from localcloud.payments import config
from localcloud.ports import listening
from localcloud.template import ROOT


def _wait(url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
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
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def start_peers(env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    """localstripe (extended) and the Square sandbox on their ports, webhooks aimed at the local gateway."""
    commands = [
        (
            [
                sys.executable, "-m", "localcloud.payments.stripe_peer",
                "--port", str(config.stripe_port()),
                "--webhook-url", config.webhook_url("stripe"),
                "--webhook-secret", config.STRIPE_WEBHOOK_SECRET,
            ],
            f"{config.stripe_url()}/_nozzly/ping",
        ),
        (
            [
                sys.executable, "-m", "localcloud.payments.square_sandbox",
                "--port", str(config.square_port()),
                "--token", config.SQUARE_ACCESS_TOKEN,
                "--signature-key", config.SQUARE_SIGNATURE_KEY,
                "--notification-url", config.webhook_url("square"),
                "--application-id", config.SQUARE_APPLICATION_ID,
                "--application-secret", config.SQUARE_APPLICATION_SECRET,
            ],
            f"{config.square_url()}/_nozzly/ping",
        ),
    ]  # fmt: skip
    started: list[subprocess.Popen[bytes]] = []
    try:
        for command, _ in commands:  # all started before any is waited for: they load their libraries together
            started.append(subprocess.Popen(command, cwd=ROOT, env=env))
        for process, (_, ping) in zip(started, commands, strict=True):
            _wait(ping, process)
    except BaseException:
        for process in started:
            process.kill()
            process.wait()
        raise
    return started


def summary() -> str:
    return (
        f"  Stripe (local)  {config.stripe_url()}  (localstripe; webhooks -> {config.webhook_url('stripe')})\n"
        f"  Square (local)  {config.square_url()}  (sandbox; webhooks -> {config.webhook_url('square')})\n"
    )
