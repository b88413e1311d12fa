"""Staff seats count against the store owner's plan: judged when inviting, taken in the write that makes the
invitee a member (so invitations sent before a downgrade cannot overfill it), given back when a member leaves."""

from __future__ import annotations

import pytest

from tests.functional.harness import Cloud
from tests.functional.test_billing import billing, on_plan
from tests.functional.test_store_staff import Shop, accept, invitation_code, shop

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
__all__ = ["shop"]  # the staff tests' fixture: an owner with a provisioned store
SEATS_FULL = {"limit": "staff_seats", "usage": 2, "maximum": 2, "plan": "starter", "upgrade_to": "growth"}


def seats(cloud: Cloud, shop: Shop) -> object:
    usage = billing(cloud, "GET /billing", shop.owner.sub).body["usage"]
    return next(u["used"] for u in usage if u["limit"] == "staff_seats")


def test_a_starter_store_seats_two_staff_and_a_leaving_member_frees_a_seat(shop: Shop) -> None:
    on_plan(shop.cloud, shop.owner.sub, "starter")
    shop.join("ada@lantern.test", "staff")
    bea = shop.join("bea@lantern.test", "admin")

    refused = shop.invite(shop.owner, "cy@lantern.test", "staff")

    assert refused.status == 402, refused.body
    assert refused.body["error"]["plan_limit"] == SEATS_FULL
    assert [i["email"] for i in shop.team()["invitations"]] == []  # nothing sent, nothing kept
    removed = shop.call("DELETE /admin/stores/{store}/staff/{member}", shop.owner, member=bea.sub)
    assert removed.status == 204, removed.body
    assert seats(shop.cloud, shop) == 1
    shop.join("cy@lantern.test", "staff")
    assert seats(shop.cloud, shop) == 2


def test_invitations_sent_before_a_downgrade_cannot_overfill_the_plan_when_accepted(shop: Shop) -> None:
    shop.join("ada@lantern.test", "staff")
    for email in ("bea@lantern.test", "cy@lantern.test"):
        assert shop.invite(shop.owner, email, "staff").status == 201
    on_plan(shop.cloud, shop.owner.sub, "starter")

    assert accept(shop.cloud, invitation_code("bea@lantern.test")).status == 200
    late = accept(shop.cloud, invitation_code("cy@lantern.test"))

    assert late.status == 402, late.body
    assert late.body["error"]["plan_limit"] == SEATS_FULL
    assert sorted(m["email"] for m in shop.team()["members"]) == [
        "ada@lantern.test",
        "bea@lantern.test",
        "owner@lantern.test",
    ]
