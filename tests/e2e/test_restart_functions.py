"""Restarting the functions process (`make functions`) loses no data: the state lives in the emulator."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from localcloud.run import wait_for
from localcloud.template import ROOT

if TYPE_CHECKING:
    from tests.e2e.conftest import LocalCloud

pytestmark = pytest.mark.e2e


def test_restarting_the_functions_process_keeps_the_demo_store(local_cloud: LocalCloud) -> None:
    seeded = local_cloud.expected_counts()  # kept by CatalogStats, asynchronously after the seed import
    # Earlier tests on this worker may have added products and categories to the demo store; none removes any.
    local_cloud.eventually(local_cloud.category_counts, lambda now: all(now.get(k, 0) >= n for k, n in seeded.items()))
    expected = local_cloud.category_counts()
    assert all(expected.get(k, 0) >= n for k, n in seeded.items()), expected
    before = local_cloud.get_json("/stores/mystmereforge/products?limit=100")

    functions = local_cloud.processes[1]
    functions.terminate()
    assert functions.wait(timeout=15) == 0  # SIGTERM is a clean shutdown
    replacement = subprocess.Popen([sys.executable, "-m", "localcloud.gateway"], cwd=ROOT, env=local_cloud.env)
    local_cloud.processes.append(replacement)  # the session fixture stops it, whatever happens next
    wait_for(f"{local_cloud.api_url}/_local/ping", replacement, timeout=30)

    assert local_cloud.get_json("/stores/mystmereforge")["id"] == "mystmereforge"
    after = local_cloud.get_json("/stores/mystmereforge/products?limit=100")
    assert [p["slug"] for p in after["items"]] == [p["slug"] for p in before["items"]]
    assert local_cloud.category_counts() == expected  # what the old process's functions wrote

    # The emulator's Lambda bridge reaches the new process too.
    response = local_cloud.client("lambda").invoke(
        FunctionName=local_cloud.names["Health"], Payload=(ROOT / "events" / "health_live.json").read_bytes()
    )
    assert "FunctionError" not in response
    assert json.loads(response["Payload"].read())["statusCode"] == 200
