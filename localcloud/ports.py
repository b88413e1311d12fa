"""Where the local cloud listens. Loopback only; ports can be moved with environment variables."""

from __future__ import annotations

import os


def emulator_port() -> int:
    return int(os.environ.get("NOZZLY_EMULATOR_PORT", "4566"))


def api_port() -> int:
    return int(os.environ.get("NOZZLY_API_PORT", "3000"))


def websocket_port() -> int:
    return int(os.environ.get("NOZZLY_WS_PORT", "3001"))


def bedrock_port() -> int:
    """The local Bedrock runtime peer (localcloud/bedrock_peer.py)."""
    return int(os.environ.get("NOZZLY_BEDROCK_PORT", "3005"))


def bedrock_url() -> str:
    return f"http://127.0.0.1:{bedrock_port()}"


def reddit_port() -> int:
    """The local Reddit API peer (localcloud/reddit_peer.py) that product research's praw client calls."""
    return int(os.environ.get("NOZZLY_REDDIT_PORT", "3006"))


def reddit_url() -> str:
    return f"http://127.0.0.1:{reddit_port()}"


def emulator_url() -> str:
    return f"http://127.0.0.1:{emulator_port()}"


def functions_url() -> str:
    """The functions process's Lambda Invoke API (served under /_local/lambda of the API port)."""
    return f"http://127.0.0.1:{api_port()}/_local/lambda"


def management_endpoint(port: int, stage: str = "live") -> str:
    """The WebSocket API's @connections endpoint: the local WebSocket server (localcloud/websocket.py)."""
    return f"http://127.0.0.1:{port}/{stage}"


def listening(url: str) -> bool:
    """Whether something listens at the loopback port of `url`, probed with a bare socket closed at once.

    Polling a port in the ephemeral range (the tests' free ports) before its server binds it can connect the probe
    to itself (TCP simultaneous open): that socket then holds the port, and the starting server's bind fails with
    "address already in use". A bare probe sees it (its own address is its peer's) and lets the port go at once;
    an HTTP request on it would hold it for its whole timeout."""
    import socket
    from urllib.parse import urlsplit

    port = urlsplit(url).port
    with socket.socket() as probe:
        probe.settimeout(1)
        if probe.connect_ex(("127.0.0.1", port or 80)) != 0:
            return False
        return bool(probe.getsockname() != probe.getpeername())
