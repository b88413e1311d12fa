"""Over HTTP in the local cloud: a guest gives an email for their cart, an hour passes (the reminder's snapshot
is moved back an hour), and the CartReminders schedule, fired on demand, emails one reminder to the outbox
and marks the stage taken."""

from __future__ import annotations

import json
import re
import secrets
import time
from typing import Any

import pytest

from tests.e2e.conftest import LocalCloud
from tests.e2e.operators import call
from tests.e2e.test_coupons_and_cart_cleanup import STORE, guest_cart

pytestmark = pytest.mark.e2e
HOUR = 3600
SCHEDULE = "CartRemindersEvery15Minutes"


def reminders(cloud: LocalCloud, email: str) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = json.loads(cloud.api(f"/_local/outbox?to={email}").body)["messages"]
    return [m for m in messages if m["subject"].startswith("Still thinking it over?")]


def test_the_fired_schedule_reminds_a_cart_left_for_an_hour_once(local_cloud: LocalCloud) -> None:
    email = f"e2e-{secrets.token_hex(4)}@example.com"
    session = guest_cart(local_cloud)
    given = call(local_cloud, "PUT", f"/stores/{STORE}/carts/{session}/email", body={"email": email})
    assert given.status == 200, given.body
    table, key = local_cloud.names["CartsTable"], {"pk": {"S": STORE}, "sk": {"S": f"REMIND#guest:{session}"}}
    dynamodb = local_cloud.client("dynamodb")
    touched = int(time.time()) - HOUR - 60
    dynamodb.update_item(  # the shopper left an hour ago
        TableName=table,
        Key=key,
        UpdateExpression="SET touched_at = :t, gsi2pk = :bucket",
        ExpressionAttributeValues={
            ":t": {"N": str(touched)},
            ":bucket": {"S": "TOUCHED#" + time.strftime("%Y-%m-%dT%H", time.gmtime(touched))},
        },
    )

    fired = local_cloud.api(f"/_local/schedules/{SCHEDULE}", "POST")

    assert fired.status == 202, fired.body
    sent = local_cloud.eventually(lambda: reminders(local_cloud, email), lambda found: len(found) == 1, 30)
    assert "Ember Longsword" in sent[0]["body"]
    claimed = local_cloud.eventually(
        lambda: dynamodb.get_item(TableName=table, Key=key)["Item"], lambda item: "stage_1h" in item, 30
    )
    assert claimed["email"]["S"] == email  # the 1-hour stage is taken: no later run sends it again

    # The email's opt-out link: its page changes nothing; POSTing its token opts the address out, twice alike.
    link = re.search(r"/shop/[a-z0-9-]+/account/reminders/opt-out\?token=([A-Za-z0-9_-]{32})", sent[0]["body"])
    assert link is not None, sent[0]["body"]
    page = local_cloud.api(link[0])
    assert page.status == 200 and b"Stop cart reminders" in page.body
    assert "Item" in dynamodb.get_item(TableName=table, Key=key)
    for _ in range(2):
        answer = call(local_cloud, "POST", f"/stores/{STORE}/reminders/opt-out", body={"token": link[1]})
        assert (answer.status, answer.json()) == (200, {"opted_out": True})
    assert "Item" not in dynamodb.get_item(TableName=table, Key=key)  # no stage of this cart is left to send
    optout = {"pk": {"S": STORE}, "sk": {"S": f"OPTOUT#{email}"}}
    assert "Item" in dynamodb.get_item(TableName=table, Key=optout)
