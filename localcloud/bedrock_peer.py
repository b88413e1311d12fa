"""A local Amazon Bedrock runtime: the Converse API (`POST /model/{modelId}/converse`) on loopback.

It speaks Bedrock's rest-json wire format, so the functions' real boto3 `bedrock-runtime` client talks to it
unchanged (only `endpoint_url` differs): the request's `messages` / `system` / `inferenceConfig`, the answer's
`output.message.content[].text`, `stopReason`, `usage` (input, output and total tokens) and `metrics`, and
errors as Bedrock sends them (status, `X-Amzn-ErrorType` header, `{"message"}` body).

Deterministic: the answer is a JSON product copy built from the product facts the prompt carries between
`<facts>` and `</facts>` (a JSON object: title, description, features, images), so a test knows what the
draft will say; a product research prompt (facts between `<candidate>` and `</candidate>`) is answered with
a verdict derived from the candidate's score (`verdict_for`). Token counts are the characters divided by
four, rounded up (Bedrock's rule of thumb).

A prompt carrying a JSON object between `<post>` and `</post>` (the blog's weekly draft: keyword, store, products)
is answered with a blog post instead: title, body_markdown, seo_title, seo_description.

Faults on demand, for tests, by a marker anywhere in the prompt:
- `nozzly:throttle` answers 429 ThrottlingException (every call: a retry sees it again);
- `nozzly:invalid` answers copy that breaks the schema (a 90-character SEO title);
- `nozzly:garbage` answers text that is not JSON at all.
`GET /_nozzly/ping` answers 200; `GET /_nozzly/calls` counts the Converse calls answered, by outcome.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import re
import subprocess
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

_CONVERSE = re.compile(r"^/model/(?P<model>[^/]+)/converse$")
_FACTS = re.compile(r"<facts>(?P<json>.*?)</facts>", re.DOTALL)
_CANDIDATE = re.compile(r"<candidate>(?P<json>.*?)</candidate>", re.DOTALL)
_POST = re.compile(r"<post>(?P<json>.*?)</post>", re.DOTALL)
CALLS: Counter[str] = Counter()
_LOCK = threading.Lock()


def tokens(text: str) -> int:
    return math.ceil(len(text) / 4)


def _prompt_text(body: dict[str, Any]) -> str:
    parts = [block.get("text", "") for block in body.get("system", []) if isinstance(block, dict)]
    for message in body.get("messages", []):
        parts += [block.get("text", "") for block in message.get("content", []) if isinstance(block, dict)]
    return "\n".join(str(p) for p in parts)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def copy_for(facts: dict[str, Any]) -> dict[str, Any]:
    """The copy a model might write, built only from the facts: the same facts give the same copy."""
    title = str(facts.get("title") or "Product").strip()
    features = [str(f) for f in facts.get("features") or []][:5]
    summary = str(facts.get("description") or title).strip()
    items = "".join(f"<li>{html.escape(f)}</li>" for f in features)
    description = f"<p>{html.escape(summary)}</p>" + (f"<ul>{items}</ul>" if items else "")
    images = facts.get("images") or []
    return {
        "seo_title": _clip(f"{title} | Free Shipping", 60),
        "description_html": description,
        "meta_description": _clip(f"Buy {title}. {summary}", 155),
        "keywords": sorted({w.lower() for w in re.findall(r"[A-Za-z]{4,}", title)})[:8] or ["product"],
        "image_alts": [_clip(f"{title}, photo {n}", 120) for n in range(1, len(images) + 1)],
    }


def verdict_for(candidate: dict[str, Any]) -> dict[str, Any]:
    """A research verdict from the candidate's facts: import at a score of 50 or more, watch from 30, else skip."""
    score = float(candidate.get("score_out_of_100") or 0)
    days = int(candidate.get("shipping_days") or 0)
    return {
        "verdict": "import" if score >= 50 else "watch" if score >= 30 else "skip",
        "reasons": [f"Scores {score:g} of 100", f"Earns {candidate.get('margin_per_sale', 0)} minor units a sale"],
        "audience": _clip(f"Shoppers looking for {candidate.get('title') or 'this product'}", 200),
        "risks": [f"Shipping takes {days} days"] if days > 10 else [],
    }


def _text_for(prompt: str) -> str:
    if "nozzly:garbage" in prompt:
        return "Sorry, I cannot help with that."
    candidate = _CANDIDATE.search(prompt)
    if candidate:
        try:
            facts = json.loads(candidate.group("json"))
        except ValueError:
            facts = {}
        verdict = verdict_for(facts if isinstance(facts, dict) else {})
        if "nozzly:invalid" in prompt:
            verdict["verdict"] = "maybe"
        return json.dumps(verdict)
    found = _FACTS.search(prompt)
    try:
        facts = json.loads(found.group("json")) if found else {}
    except ValueError:
        facts = {}
    copy = copy_for(facts if isinstance(facts, dict) else {})
    post = _POST.search(prompt)
    if post:  # a blog draft rather than a product's copy
        try:
            copy = post_for(json.loads(post.group("json")))
        except (ValueError, AttributeError):
            copy = post_for({})
    if "nozzly:invalid" in prompt:
        copy["seo_title"] = "X" * 90
    return json.dumps(copy)


def post_for(facts: dict[str, Any]) -> dict[str, Any]:
    """A blog post a model might write (the blog's weekly draft), built only from the facts between <post> tags."""
    keyword = str(facts.get("keyword") or "our products").strip()
    store = str(facts.get("store") or "our shop").strip()
    products = [str(p) for p in facts.get("products") or []][:5]
    picks = "\n".join(f"- **{p}**: how it fits the way you use {keyword}." for p in products)
    body = (
        f"## Why {keyword} matters\n\nChoosing the right {keyword} saves time and money. This guide from {store} "
        f"walks through what to look for, how to compare options and how to care for what you buy.\n\n"
        f"## What to look for\n\nStart with how often you will use it, then weigh materials, size and upkeep. "
        f"Read the care notes before you buy, and keep the receipt until you are sure it fits your routine.\n\n"
        f"## Our picks\n\n{picks or '- Browse the shop for ideas.'}\n"
    )
    return {
        "title": _clip(f"A practical guide to {keyword}", 100),
        "body_markdown": body,
        "seo_title": _clip(f"{keyword.title()} guide | {store}", 60),
        "seo_description": _clip(
            f"How to choose {keyword}: what to look for, how to compare and our picks from {store}.", 155
        ),
    }


def answer(body: dict[str, Any]) -> tuple[int, dict[str, Any], str | None]:
    """(status, JSON body, error type) for one Converse request."""
    if not isinstance(body.get("messages"), list) or not body["messages"]:
        return 400, {"message": "1 validation error detected: messages must not be empty"}, "ValidationException"
    prompt = _prompt_text(body)
    if "nozzly:throttle" in prompt:
        return 429, {"message": "Too many requests, please wait before trying again."}, "ThrottlingException"
    text = _text_for(prompt)
    limit = int(body.get("inferenceConfig", {}).get("maxTokens") or 4096)
    output_tokens = min(tokens(text), limit)
    input_tokens = tokens(prompt)
    return (
        200,
        {
            "output": {"message": {"role": "assistant", "content": [{"text": text}]}},
            "stopReason": "end_turn" if output_tokens < limit else "max_tokens",
            "usage": {
                "inputTokens": input_tokens,
                "outputTokens": output_tokens,
                "totalTokens": input_tokens + output_tokens,
            },
            "metrics": {"latencyMs": 5},
        },
        None,
    )


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: dict[str, Any], error_type: str | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", f"local-{CALLS.total()}")
        if error_type:
            self.send_header("X-Amzn-ErrorType", f"{error_type}:http://internal.amazon.com/coral/com.amazon.bedrock/")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path == "/_nozzly/ping":
            self._send(200, {"ok": True})
        elif self.path == "/_nozzly/calls":
            with _LOCK:
                self._send(200, dict(CALLS))
        else:
            self._send(404, {"message": "Not found"}, "ResourceNotFoundException")

    def do_POST(self) -> None:
        matched = _CONVERSE.match(unquote(self.path))
        if not matched:
            self._send(404, {"message": "Not found"}, "ResourceNotFoundException")
            return
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            self._send(400, {"message": "the request body is not JSON"}, "ValidationException")
            return
        status, payload, error_type = answer(body if isinstance(body, dict) else {})
        with _LOCK:
            CALLS[error_type or "ok"] += 1
        self._send(status, payload, error_type)


def serve(port: int) -> ThreadingHTTPServer:
    return ThreadingHTTPServer(("127.0.0.1", port), _Handler)


def start_peer(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """The peer as a process on NOZZLY_BEDROCK_PORT, answering before this returns (make run, the e2e fixture)."""
    from localcloud.payments.peers import _wait
    from localcloud.ports import bedrock_port, bedrock_url
    from localcloud.template import ROOT

    process = subprocess.Popen(
        [sys.executable, "-m", "localcloud.bedrock_peer", "--port", str(bedrock_port())], cwd=ROOT, env=env
    )
    try:
        _wait(f"{bedrock_url()}/_nozzly/ping", process)
    except BaseException:
        process.kill()
        process.wait()
        raise
    return process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    serve(parser.parse_args().port).serve_forever()


if __name__ == "__main__":
    main()
