"""schemathesis over every operation of the served OpenAPI document, against the local cloud: no server error, and
every response as documented. Accounts come from the real auth routes; the run's settings are in schemathesis.toml.

schemathesis lives in its own virtualenv (.venv-st, `make conformance` creates it): its pins are not the project's.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from localcloud.template import ROOT
from tests.e2e.conftest import LOOPBACK
from tests.e2e.operators import log_in, open_ready_store
from tests.e2e.shop import put_product

if TYPE_CHECKING:
    from tests.e2e.conftest import LocalCloud

pytestmark = pytest.mark.e2e
ST = ROOT / ".venv-st" / "bin" / "st"
CONFIG = Path(__file__).with_name("schemathesis.toml")
CHECKS = "not_a_server_error,response_schema_conformance"
TIMEOUT = 600  # seconds; the run takes about three minutes on two cores


def accounts(cloud: LocalCloud) -> dict[str, str]:
    """The variables schemathesis.toml reads: a new store, its owner, a shopper of it, spare accounts to sign out."""
    run = uuid.uuid4().hex[:8]
    owner = log_in(cloud, "", f"conformance-owner-{run}@example.test")
    store = open_ready_store(cloud, owner, f"Conformance {run}")
    put_product(cloud, store, "conformance-lamp", 5)
    shoppers = f"/stores/{store}"
    return {
        "NOZZLY_API_URL": cloud.api_url,
        "NOZZLY_STORE": store,
        "NOZZLY_OPERATOR_TOKEN": owner,
        "NOZZLY_SHOPPER_TOKEN": log_in(cloud, shoppers, f"conformance-shopper-{run}@example.test"),
        "NOZZLY_SPARE_OPERATOR_TOKEN": log_in(cloud, "", f"conformance-spare-{run}@example.test"),
        "NOZZLY_SPARE_SHOPPER_TOKEN": log_in(cloud, shoppers, f"conformance-spare-{run}@example.test"),
    }


@dataclass(frozen=True, slots=True)
class Summary:
    operations: int
    cases: int
    statuses: Counter[str]
    failures: Counter[str]  # by check

    @classmethod
    def from_ndjson(cls, path: Path) -> Summary:
        operations, cases, statuses, failures = set(), 0, Counter[str](), Counter[str]()
        for line in path.read_text().splitlines():
            event: dict[str, Any] = json.loads(line)
            finished = event.get("ScenarioFinished")
            if not finished:
                continue
            recorder = finished.get("recorder", {})
            operations.add(recorder.get("label"))
            for interactions in recorder.get("interactions", {}).values():
                response = interactions.get("response")
                cases += 1
                statuses[str(response["status_code"]) if response else "none"] += 1
            for checks in recorder.get("checks", {}).values():
                for check in checks:
                    if check.get("status") == "FAILURE":
                        failures[check["name"]] += 1
        return cls(len(operations - {None}), cases, statuses, failures)


def schemathesis(cloud: LocalCloud, env: dict[str, str], report: Path) -> subprocess.CompletedProcess[str]:
    """`st run` over the document the gateway serves (fetched here: building it cold takes longer than st waits)."""
    assert cloud.api_url.startswith(f"http://{LOOPBACK}:"), "schemathesis may only send traffic to loopback"
    document = report.with_name("openapi.json")
    # Every function's sandbox starts cold to document itself: on two busy cores that takes a while.
    with urllib.request.urlopen(f"{cloud.api_url}/openapi.json", timeout=180) as served:
        document.write_bytes(served.read())
    quiet = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    command = [
        str(ST),
        "--config-file",
        str(CONFIG),
        "run",
        str(document),
        "--url",
        cloud.api_url,
        "--checks",
        CHECKS,
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
        "--no-color",
    ]
    return subprocess.run(
        command,
        env=quiet | env | {"NO_PROXY": LOOPBACK},
        cwd=report.parent,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def test_every_operation_answers_as_documented(local_cloud: LocalCloud, tmp_path: Path) -> None:
    if not ST.is_file():
        pytest.skip("schemathesis is not installed: `make conformance` (or `make install`) creates .venv-st")
    result = schemathesis(local_cloud, accounts(local_cloud), tmp_path / "events.ndjson")
    summary = Summary.from_ndjson(tmp_path / "events.ndjson")
    print(result.stdout[-6000:])  # the run's own summary, for `make conformance`
    print(summary)
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-4000:]
    assert summary.operations == 206 and summary.cases > 206 * 3, summary
    assert not summary.failures, summary
