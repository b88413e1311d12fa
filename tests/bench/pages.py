"""Bench section 5: the shop pages. Server time per page (warm) next to the JSON API's time for the same data, and
Lighthouse's scores (performance, accessibility, best practices, SEO) for the home and product pages.

Against a local cloud of its own (127.0.0.1 only). Lighthouse (npm, pinned; installed into .tools/ on first use:
the tests do not need it) drives Debian's Chromium through CHROME_PATH. Its performance score is for this local
cloud on this machine (no CDN, no compression, the emulator's latency): the other three do not depend on speed.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.bench.load import REQUEST_TIMEOUT, local_cloud
from tests.bench.report import heading, ms, percentile, table

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / ".tools" / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_VERSION = "12.2.3"  # 13 wants Node 22
STORE = "mystmereforge"
PRODUCT = "ember-longsword"
PAIRS = (
    ("home", f"/shop/{STORE}/", f"/stores/{STORE}/products?sort=newest&limit=8"),
    ("category", f"/shop/{STORE}/categories/blades", f"/stores/{STORE}/products?category=blades"),
    ("product", f"/shop/{STORE}/products/{PRODUCT}", f"/stores/{STORE}/products/{PRODUCT}"),
)
SAMPLES, WARM_UP = 30, 3
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
    "--disable-sync --no-first-run --disable-quic --disable-dev-shm-usage"
)


def _timed_gets(port: int, path: str, accept: str) -> tuple[list[float], int]:
    latencies, status = [], 0
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        for i in range(WARM_UP + SAMPLES):
            started = time.perf_counter()
            connection.request("GET", path, headers={"accept": accept})
            response = connection.getresponse()
            response.read()
            status = response.status
            if i >= WARM_UP:
                latencies.append((time.perf_counter() - started) * 1000)
    finally:
        connection.close()
    return latencies, status


def _lighthouse_installed(progress: Callable[[str], None]) -> bool:
    if LIGHTHOUSE.exists():
        return True
    progress(f"pages: installing lighthouse@{LIGHTHOUSE_VERSION} into .tools/")
    done = subprocess.run(
        ["npm", "install", "--prefix", ".tools", "--no-audit", "--no-fund", "--silent", "--save-exact",
         f"lighthouse@{LIGHTHOUSE_VERSION}"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return done.returncode == 0 and LIGHTHOUSE.exists()


def _scores(url: str, preset: str | None) -> dict[str, int]:
    with tempfile.TemporaryDirectory(prefix="nozzly-lighthouse-") as folder:
        report = Path(folder) / "report.json"
        command = [
            str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}", "--quiet",
            f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS} --user-data-dir={folder}/c",
        ]  # fmt: skip
        if preset:
            command.append(f"--preset={preset}")
        env = dict(os.environ, CHROME_PATH=os.environ.get("NOZZLY_CHROMIUM", "/usr/bin/chromium"))
        subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=240)
        if not report.exists():
            return {}
        categories = json.loads(report.read_text())["categories"]
        return {c: round((categories[c]["score"] or 0) * 100) for c in CATEGORIES if c in categories}


def measure(progress: Callable[[str], None]) -> tuple[list[str], list[str]]:
    progress("pages: starting the local cloud")
    rows, scores = [], []
    with local_cloud() as (port, _summary, _log):
        for name, page, api in PAIRS:
            progress(f"pages: {name}")
            page_ms, page_status = _timed_gets(port, page, "text/html")
            api_ms, api_status = _timed_gets(port, api, "application/json")
            rows.append([
                name, f"{page_status}", ms(percentile(page_ms, 50)), ms(percentile(page_ms, 95)),
                f"{api_status}", ms(percentile(api_ms, 50)), ms(percentile(api_ms, 95)),
            ])  # fmt: skip
        if _lighthouse_installed(progress):
            for name, page, _api in PAIRS[::2]:
                for preset in (None, "desktop"):
                    progress(f"pages: lighthouse {name} ({preset or 'mobile'})")
                    found = _scores(f"http://127.0.0.1:{port}{page}", preset)
                    scores.append([name, preset or "mobile", *(str(found.get(c, "-")) for c in CATEGORIES)])
    section = [heading("5. Shop pages: server time (warm, sequential) and Lighthouse")]
    section += table(["page", "status", "p50", "p95", "JSON status", "JSON p50", "JSON p95"], rows)
    if scores:
        section += ["", *table(["page", "form", *CATEGORIES], scores)]
    else:
        section.append("  Lighthouse did not run (npm could not install it here).")
    lines = ["shop pages (p50 page / p50 JSON): " + ", ".join(f"{r[0]} {r[2]} / {r[5]}" for r in rows)]
    for name, form, *values in scores:
        lines.append(
            f"lighthouse {name} {form}: " + " ".join(f"{c} {v}" for c, v in zip(CATEGORIES, values, strict=True))
        )
    return section, lines
