"""Tools written for LocalStack work against the local cloud's emulator (one edge endpoint for every service)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from localstack_client.session import Session

from localcloud.template import load_sam

if TYPE_CHECKING:
    from tests.e2e.conftest import LocalCloud

pytestmark = pytest.mark.e2e


def test_localstack_client_lists_the_templates_tables(local_cloud: LocalCloud, monkeypatch: pytest.MonkeyPatch) -> None:
    # AWS_ENDPOINT_URL would take precedence over localstack_host; LOCALSTACK_HOST is the fallback it ignores here.
    for key in ("AWS_ENDPOINT_URL", "LOCALSTACK_HOST", "USE_SSL"):
        monkeypatch.delenv(key, raising=False)
    session = Session(localstack_host=f"127.0.0.1:{local_cloud.emulator_port}")
    dynamodb = session.client("dynamodb")
    assert dynamodb.meta.endpoint_url == local_cloud.emulator_url

    tables = dynamodb.list_tables()["TableNames"]

    resources = load_sam()["Resources"]
    expected = {local_cloud.names[lid] for lid, r in resources.items() if r["Type"] == "AWS::DynamoDB::Table"}
    assert sorted(tables) == sorted(expected)
