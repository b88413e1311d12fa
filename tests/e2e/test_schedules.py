"""The template's EventBridge schedule, listed and fired on demand: the nightly recount repairs a count."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.e2e.conftest import LocalCloud

pytestmark = pytest.mark.e2e

SCHEDULE = "CatalogStatsNightlyReconcile"


def test_schedules_lists_the_nightly_rule(local_cloud: LocalCloud) -> None:
    schedules = local_cloud.get_json("/_local/schedules")
    nightly = [s for s in schedules if s["name"].endswith(f"-{SCHEDULE}")]
    assert len(nightly) == 1, schedules
    assert nightly[0]["expression"] == "rate(1 day)"
    assert [t.rsplit(":", 1)[-1] for t in nightly[0]["targets"]] == [local_cloud.names["CatalogStats"]]


def test_unknown_schedule_is_a_404(local_cloud: LocalCloud) -> None:
    assert local_cloud.api("/_local/schedules/NoSuchSchedule", "POST").status == 404


def test_firing_the_nightly_schedule_repairs_a_corrupted_count(local_cloud: LocalCloud) -> None:
    expected = local_cloud.expected_counts()
    # Start from correct counts (CatalogStats after the seed import is asynchronous).
    assert local_cloud.eventually(local_cloud.category_counts, lambda c: c == expected) == expected

    local_cloud.client("dynamodb").update_item(
        TableName=local_cloud.names["CatalogTable"],
        Key={"pk": {"S": "mystmereforge"}, "sk": {"S": "CATEGORY#blades"}},
        UpdateExpression="SET product_count = :n",
        ExpressionAttributeValues={":n": {"N": "999"}},
    )
    assert local_cloud.category_counts()["blades"] == 999  # the storefront reads what the table holds

    fired = local_cloud.api(f"/_local/schedules/{SCHEDULE}", "POST")
    assert fired.status == 202
    assert fired.json()["fired"].endswith(f"-{SCHEDULE}")

    assert local_cloud.eventually(local_cloud.category_counts, lambda c: c == expected) == expected


def test_a_schedule_of_a_gradually_deployed_function_fires_its_alias(local_cloud: LocalCloud) -> None:
    """CheckoutSteps is invoked through its `live` alias (AutoPublishAlias): the rule targets the alias ARN, which
    reaches the function itself locally (there, as on AWS, nothing bypasses the canary)."""

    def invocations() -> int:
        return int(local_cloud.get_json("/_local/meter")["lambda"].get("CheckoutSteps", {}).get("requests", 0))

    before = invocations()
    fired = local_cloud.api("/_local/schedules/CheckoutStepsRecoverStranded", "POST")
    assert fired.status == 202
    (target,) = fired.json()["targets"]
    assert target.endswith(f":function:{local_cloud.names['CheckoutSteps']}:live")
    assert local_cloud.eventually(invocations, lambda requests: requests > before) > before
