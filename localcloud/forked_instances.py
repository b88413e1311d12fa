"""The functions process's side of localcloud/zygote.py: one zygote per code generation, and instances forked from
it that look to a Worker like the subprocess.Popen of a fresh interpreter (stdin, stdout, poll, kill, wait)."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

log = logging.getLogger("localcloud.zygote")
READY_TIMEOUT_S = 60.0


def enabled() -> bool:
    """NOZZLY_FORK_INSTANCES: 0 starts every instance as a fresh interpreter. On by default on Linux only: on macOS
    a process that forks after a library touched the system's frameworks (the X-Ray client the zygote builds asks
    for proxy settings) can crash its children."""
    default = "1" if sys.platform == "linux" else "0"
    return os.environ.get("NOZZLY_FORK_INSTANCES", default) != "0"


class ForkedProcess:
    """A forked instance, driven like a subprocess.Popen: its pipes, and its end seen by its stdout closing (the
    zygote reaps it, so its pid is no proof of life)."""

    def __init__(self, pid: int, stdin: IO[str], stdout: IO[str]) -> None:
        self.pid, self.stdin, self.stdout = pid, stdin, stdout
        self.returncode: int | None = None
        self.ended = threading.Event()  # set by whoever reads stdout to its end (Worker._read)

    def poll(self) -> int | None:
        if self.returncode is None and self.ended.is_set():
            self.returncode = -1
        return self.returncode

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):  # it ended already
            os.kill(self.pid, signal.SIGKILL)

    def wait(self, timeout: float = 5.0) -> int:
        """Returns once the process is gone, as Popen.wait does. Its stdout closes as it exits, a moment before the
        kernel removes it (the zygote ignores SIGCHLD, so nobody holds it as a zombie): until then its pid is live."""
        deadline = time.monotonic() + timeout
        self.ended.wait(timeout)
        while self._exists():
            if time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired(f"instance {self.pid}", timeout)
            time.sleep(0.001)
        self.returncode = -1
        return self.returncode

    def _exists(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True


class Zygote:
    def __init__(self, layer_dir: Path, env: dict[str, str], cwd: Path) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.channel = ours
        self.process = subprocess.Popen(
            [sys.executable, "-m", "localcloud.zygote", str(theirs.fileno()), str(layer_dir)],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=str(cwd),
        )
        theirs.close()
        self.channel.settimeout(READY_TIMEOUT_S)
        if json.loads(self.channel.recv(4096) or b"{}").get("ready") is not True:
            self.stop()
            raise RuntimeError("the zygote did not start (its error is in the log above)")

    def fork(self, request: dict[str, Any]) -> ForkedProcess:
        stdin_r, stdin_w = os.pipe()
        stdout_r, stdout_w = os.pipe()
        try:
            socket.send_fds(self.channel, [json.dumps(request).encode()], [stdin_r, stdout_w])
            answer = self.channel.recv(4096)
        except BaseException:
            for fd in (stdin_w, stdout_r):
                os.close(fd)
            raise
        finally:
            os.close(stdin_r)
            os.close(stdout_w)
        if not answer:
            for fd in (stdin_w, stdout_r):
                os.close(fd)
            raise RuntimeError("the zygote has ended")
        stdin = os.fdopen(stdin_w, "w")
        stdout = os.fdopen(stdout_r, "r")
        return ForkedProcess(json.loads(answer)["pid"], stdin, stdout)

    def stop(self) -> None:
        self.channel.close()  # the zygote's loop ends; the instances it forked live on
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Zygotes:
    """The zygote of the current code generation, started on the first fork after an edit. A zygote that fails
    (a preloaded library does not import) is not retried in that generation: instances start fresh instead."""

    def __init__(self, layer_dir: Path, env: dict[str, str], cwd: Path) -> None:
        self.layer_dir, self.env, self.cwd = layer_dir, env, cwd
        self.lock = threading.Lock()
        self.generation: int | None = None
        self.zygote: Zygote | None = None

    def fork(self, generation: int, request: dict[str, Any]) -> ForkedProcess | None:
        """A forked instance, or None when this generation's zygote is not available."""
        with self.lock:
            if generation != self.generation:
                self._replace(generation)
            if self.zygote is None:
                return None
            try:
                return self.zygote.fork(request)
            except (OSError, RuntimeError, ValueError) as exc:
                log.warning("forking an instance failed (%s): instances of this code start fresh", exc)
                self.zygote.stop()
                self.zygote = None
                return None

    def _replace(self, generation: int) -> None:
        if self.zygote is not None:
            self.zygote.stop()
            self.zygote = None
        self.generation = generation
        try:
            self.zygote = Zygote(self.layer_dir, self.env, self.cwd)
        except (OSError, RuntimeError, ValueError) as exc:
            log.warning("no zygote for this code (%s): its instances start fresh", exc)

    def stop(self) -> None:
        with self.lock:
            if self.zygote is not None:
                self.zygote.stop()
                self.zygote = None
