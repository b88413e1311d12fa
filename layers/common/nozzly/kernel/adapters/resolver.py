"""Host names to addresses, with the system resolver (what the connection would use)."""

from __future__ import annotations

import socket


def resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})
