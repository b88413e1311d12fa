"""The order emails follow the store's email flows: shipped turned off is not sent, the confirmation (a legal duty)
still goes in its default words, a changed subject and intro are the delivered email's, and each send counts."""

from __future__ import annotations

import pytest

from nozzly.marketing.adapters.email_flows import EmailFlowsRepository
from tests.functional.auth_helpers import outbox
from tests.functional.harness import STORE, Cloud
from tests.functional.settings_helpers import join
from tests.functional.test_cart_reminder_flows import OWNER, change_flow
from tests.functional.test_order_emails import order_placed, placed  # noqa: F401 (placed: the order's fixture)

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


def test_flows_turn_order_emails_off_and_give_them_the_stores_words(placed: tuple[Cloud, str, int]) -> None:  # noqa: F811
    cloud, order, number = placed
    join(cloud, OWNER, "owner", store=STORE, name="Store")
    change_flow(cloud, "order_shipped", enabled=False)
    change_flow(cloud, "order_confirmation", enabled=False, subject="Yay {first_name}!")
    change_flow(cloud, "order_delivered", subject="#{order_number} arrived, {first_name}", intro="Enjoy it!")
    base = order_placed(order, number)
    shipped = base | {"detail-type": "ShipmentCreated", "detail": base["detail"] | {"shipment_id": "f1"}}
    delivered = base | {"detail-type": "OrderDelivered"}

    outcomes = [cloud.invoke("OrderEmails", event)["outcome"] for event in (base, shipped, delivered)]

    assert outcomes == ["sent", "flow off", "sent"]
    subjects = [m.subject for m in outbox("sam@example.com")]
    assert f"Your Mystmere Forge order #{number}" in subjects  # required: sent, in its default words
    assert not any("on its way" in s for s in subjects)
    (arrived,) = [m for m in outbox("sam@example.com") if "arrived" in m.subject]
    assert arrived.subject.startswith(f"#{number} arrived, ") and "Enjoy it!" in arrived.body
    sent = EmailFlowsRepository(cloud.names["StoresTable"]).sent_counts(STORE)
    assert (sent["order_confirmation"], sent["order_shipped"], sent["order_delivered"]) == (1, 0, 1)
