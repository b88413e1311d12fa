"""A local Reddit API: what praw calls for an application-only, read-only search, on loopback.

`POST /api/v1/access_token` (HTTP Basic client credentials, `grant_type=client_credentials`) answers a bearer
token as Reddit does; `GET /r/{subreddit}/search` (q, sort, t, limit; bearer token required) answers a
Listing of `t3` posts in Reddit's JSON (title, score, num_comments, created_utc, id, permalink...). One
server plays both of praw's sites, `reddit_url` and `oauth_url`, so the functions' real praw code runs
against it with only those two options changed. A post matches when its title contains every word of `q`.
Posts' ages are fixed (hours before the request), so trend velocities are the same on every run.
`GET /_nozzly/ping` answers 200.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "local-reddit-token"
CLIENT_ID, CLIENT_SECRET = "nozzly-local", "local-reddit-secret"
CREDENTIALS = f"{CLIENT_ID}:{CLIENT_SECRET}"
# title, score, comments, hours old: engagement per hour is (score + 2 x comments) / max(hours, 1)
POSTS: list[tuple[str, int, int, float]] = [
    ("Best LED desk lamp for late night study?", 240, 30, 2.0),  # (240 + 60) / 2 = 150
    ("My black desk lamp (LED) finally arrived", 40, 5, 0.5),  # 50 / 1 = 50
    ("Copper tankard for my forge themed bar", 36, 12, 3.0),  # 60 / 3 = 20
    ("Garden hose that does not kink", 900, 100, 1.0),
]


def listing(query: str, limit: int, now: float) -> dict[str, Any]:
    words = [w.lower() for w in query.split()]
    children = [
        {
            "kind": "t3",
            "data": {
                "id": f"p{i}",
                "name": f"t3_p{i}",
                "title": title,
                "score": score,
                "ups": score,
                "num_comments": comments,
                "created_utc": now - hours * 3600,
                "subreddit": "all",
                "permalink": f"/r/all/comments/p{i}/",
                "url": f"https://reddit.local/p{i}",
            },
        }
        for i, (title, score, comments, hours) in enumerate(POSTS)
        if all(w in title.lower() for w in words)
    ][:limit]
    return {"kind": "Listing", "data": {"after": None, "before": None, "dist": len(children), "children": children}}


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        if urlsplit(self.path).path != "/api/v1/access_token":
            self._send(404, {"message": "Not Found", "error": 404})
            return
        basic = base64.b64encode(CREDENTIALS.encode()).decode()
        if self.headers.get("Authorization") != f"Basic {basic}":
            self._send(401, {"message": "Unauthorized", "error": 401})
        elif form.get("grant_type") != ["client_credentials"]:
            self._send(200, {"error": "unsupported_grant_type"})
        else:
            self._send(200, {"access_token": TOKEN, "token_type": "bearer", "expires_in": 86400, "scope": "*"})

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/_nozzly/ping":
            self._send(200, {"ok": True})
            return
        if self.headers.get("Authorization") != f"bearer {TOKEN}":
            self._send(401, {"message": "Unauthorized", "error": 401})
            return
        query = parse_qs(parts.query)
        if parts.path.startswith("/r/") and parts.path.rstrip("/").endswith("/search"):
            limit = int((query.get("limit") or ["25"])[0])
            self._send(200, listing((query.get("q") or [""])[0], limit, time.time()))
        else:
            self._send(404, {"message": "Not Found", "error": 404})


def serve_in_thread(port: int = 0) -> ThreadingHTTPServer:
    """The peer on 127.0.0.1 (port 0: any free one; read it from server_address)."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
    threading.Thread(target=server.serve_forever, name="reddit-peer", daemon=True).start()
    return server
