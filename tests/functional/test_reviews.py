"""Product reviews through the Reviews handler under moto: buyers post, operators moderate, the storefront shows."""

from __future__ import annotations

from typing import Any

import pytest

from tests.functional.harness import STORE, Cloud
from tests.functional.review_helpers import GOOD, Buyer, decide, join, queue, record_purchase, storefront
from tests.functional.store_helpers import ALICE, BOB, CAROL

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
SAM, KIM, NED = "5a0e0000-0000-4000-8000-00000000005a", "5a0e0000-0000-4000-8000-00000000000b", "ned-sub"


@pytest.fixture
def shop(seeded: Cloud) -> Cloud:
    """The seed store with ALICE its owner and BOB staff; SAM and KIM bought the ember longsword, NED nothing."""
    join(seeded, ALICE, "owner")
    join(seeded, BOB, "staff")
    record_purchase(seeded, SAM, "ember-longsword")
    record_purchase(seeded, KIM, "ember-longsword")
    return seeded


def _review_items(cloud: Cloud) -> list[dict[str, Any]]:
    return [i for i in cloud.all_items("CustomersTable") if "#REVIEWS#" in i["pk"]["S"]]


def _posted(buyer: Buyer, rating: int = 4, text: str = "Holds an edge.") -> str:
    response = buyer.post(body={"rating": rating, "text": text})
    assert response.status == 202, response.body
    return str(response.body["id"])


def _approved(cloud: Cloud, review: str, operator: str = ALICE) -> dict[str, Any]:
    response = decide(cloud, operator, review, "approve")
    assert response.status == 200, response.body
    assert response.body["status"] == "approved"
    body: dict[str, Any] = response.body
    return body


def test_a_buyers_review_waits_for_moderation_then_shows_with_the_average(shop: Cloud) -> None:
    posted = Buyer(shop, SAM, "sam@example.com").post()

    assert posted.status == 202, posted.body
    review = posted.body
    assert (review["status"], review["rating"], review["title"], review["text"]) == (
        "pending",
        4,
        "Sharp",
        GOOD["text"],
    )
    assert review["product"] == "ember-longsword" and SAM not in review["id"]
    before = storefront(shop)
    assert before.status == 200
    assert before.body == {"summary": {"count": 0, "sum": 0, "average": None}, "items": [], "next_cursor": None}

    pending = queue(shop, ALICE).body["items"]
    assert [(r["id"], r["author_email"], r["status"]) for r in pending] == [
        (review["id"], "sam@example.com", "pending")
    ]
    approved = _approved(shop, review["id"])
    assert approved["moderated_by"] == ALICE and approved["moderated_at"] is not None

    shown = storefront(shop)
    assert shown.body["summary"] == {"count": 1, "sum": 4, "average": "4.0"}
    assert [r["id"] for r in shown.body["items"]] == [review["id"]]
    assert "author_email" not in shown.body["items"][0] and "status" not in shown.body["items"][0]
    assert shown.headers["cache-control"] == "public, max-age=60"
    assert queue(shop, ALICE).body["items"] == []

    kims = _posted(Buyer(shop, KIM, "kim@example.com"), rating=5)
    _approved(shop, kims, operator=BOB)  # staff moderate too
    both = storefront(shop).body
    assert both["summary"] == {"count": 2, "sum": 9, "average": "4.5"}
    assert [r["id"] for r in both["items"]] == [kims, review["id"]]  # newest first


def test_only_buyers_of_a_published_product_of_an_open_store_may_review_it(shop: Cloud) -> None:
    ned = Buyer(shop, NED, "ned@example.com")
    sam = Buyer(shop, SAM, "sam@example.com")

    refused = ned.post()
    assert refused.status == 403, refused.body
    assert "bought" in refused.body["error"]["message"]
    assert sam.post("frost-sabre").status == 403  # SAM bought another product
    unknown = sam.post("no-such-blade")
    assert unknown.status == 404 and unknown.body["error"]["fields"][0]["field"] == "product"
    assert sam.post("tower-shield").status == 404  # a draft
    assert Buyer(shop, SAM, "sam@example.com", store="nowhere").post().status == 404
    elsewhere = Buyer(shop, SAM, "sam@example.com").claims | {"username": "other-store#sam@example.com"}
    from tests.functional.auth_helpers import api_event

    event = api_event(
        "POST /stores/{store}/products/{product}/reviews",
        path_parameters={"store": STORE, "product": "ember-longsword"},
        body=GOOD,
        claims=elsewhere,
    )
    assert shop.http("Reviews", event).status == 401
    for bad in ({"rating": 6, "text": "x"}, {"rating": 4, "text": "   "}, {"rating": "5", "text": "x"}, {"rating": 3}):
        assert sam.post(body=bad).status == 400, bad
    assert _review_items(shop) == []  # nothing refused changed anything


def test_posting_again_replaces_the_review_sends_it_back_to_moderation_and_takes_it_out_of_the_average(
    shop: Cloud,
) -> None:
    sam = Buyer(shop, SAM, "sam@example.com")
    first = _posted(sam, rating=4)
    _approved(shop, first)
    _approved(shop, _posted(Buyer(shop, KIM, "kim@example.com"), rating=5))
    assert storefront(shop).body["summary"]["average"] == "4.5"

    again = sam.post(body={"rating": 1, "title": "Rusted", "text": "Rusted after a month."})

    assert again.status == 202 and again.body["id"] == first and again.body["status"] == "pending"
    after = storefront(shop).body
    assert after["summary"] == {"count": 1, "sum": 5, "average": "5.0"}
    assert first not in [r["id"] for r in after["items"]]
    assert [(r["id"], r["rating"]) for r in queue(shop, ALICE).body["items"]] == [(first, 1)]
    assert len([i for i in _review_items(shop) if i["sk"]["S"].startswith("REVIEW#")]) == 2  # one per buyer
    _approved(shop, first)
    assert storefront(shop).body["summary"] == {"count": 2, "sum": 6, "average": "3.0"}


def test_rejecting_takes_an_approved_review_out_and_approving_twice_counts_once(shop: Cloud) -> None:
    sam, kim = _posted(Buyer(shop, SAM, "sam@example.com"), 2), _posted(Buyer(shop, KIM, "kim@example.com"), 5)
    _approved(shop, sam)
    _approved(shop, kim)
    assert decide(shop, BOB, sam, "approve").status == 200  # again: nothing changes
    assert storefront(shop).body["summary"] == {"count": 2, "sum": 7, "average": "3.5"}

    rejected = decide(shop, BOB, sam, "reject", {"reason": "Talks about shipping, not the product."})

    assert rejected.status == 200, rejected.body
    assert (rejected.body["status"], rejected.body["reason"]) == ("rejected", "Talks about shipping, not the product.")
    shown = storefront(shop).body
    assert shown["summary"] == {"count": 1, "sum": 5, "average": "5.0"}
    assert [r["id"] for r in shown["items"]] == [kim]
    assert [r["id"] for r in queue(shop, ALICE, status="rejected").body["items"]] == [sam]
    assert [r["id"] for r in queue(shop, ALICE, status="approved").body["items"]] == [kim]
    assert decide(shop, ALICE, sam, "reject").status == 200  # again, without a body
    assert storefront(shop).body["summary"]["count"] == 1


def test_a_non_member_learns_nothing_and_unknown_reviews_are_404(shop: Cloud) -> None:
    review = _posted(Buyer(shop, SAM, "sam@example.com"))

    for response in (queue(shop, CAROL), decide(shop, CAROL, review, "approve"), decide(shop, CAROL, "x", "reject")):
        assert response.status == 404, response.body
        assert response.body["error"]["fields"] == [{"field": "store", "message": "store 'mystmereforge' not found"}]
    assert storefront(shop).body["summary"]["count"] == 0
    for unknown in ("no-such-id", "ember-longsword." + "0" * 24, "frost-sabre." + review.split(".")[1]):
        missing = decide(shop, ALICE, unknown, "approve")
        assert missing.status == 404 and missing.body["error"]["fields"][0]["field"] == "review"
    assert queue(shop, ALICE, status="lost").status == 400
    assert decide(shop, ALICE, review, "reject", {"reason": "r" * 501}).status == 400
    assert queue(shop, ALICE).body["items"][0]["status"] == "pending"  # the refused reject changed nothing


def test_pages_of_reviews_and_of_the_queue_follow_their_cursors(shop: Cloud) -> None:
    buyers = [Buyer(shop, f"buyer-{n}", f"b{n}@example.com") for n in range(5)]
    ids: list[str] = []
    for buyer in buyers:
        record_purchase(shop, buyer.sub, "ember-longsword")
        ids.append(_posted(buyer, rating=1 + len(ids)))
    assert [r["id"] for r in queue(shop, BOB, limit="3").body["items"]] == ids[:3]  # oldest first
    second = queue(shop, BOB, limit="3", cursor=queue(shop, BOB, limit="3").body["next_cursor"]).body
    assert ([r["id"] for r in second["items"]], second["next_cursor"]) == (ids[3:], None)
    for review in ids:
        _approved(shop, review)

    first = storefront(shop, limit="2").body
    seen = [r["id"] for r in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = storefront(shop, limit="2", cursor=cursor).body
        assert page["summary"] is None
        seen += [r["id"] for r in page["items"]]
        cursor = page["next_cursor"]
    assert first["summary"] == {"count": 5, "sum": 15, "average": "3.0"}
    assert seen == ids[::-1]
    foreign = storefront(shop, "frost-sabre", limit="2", cursor=first["next_cursor"])
    assert foreign.status == 400  # a cursor only works for the listing it came from


def test_the_storefront_list_is_one_dynamodb_query(shop: Cloud, dynamodb_calls: list[str]) -> None:
    sam = _posted(Buyer(shop, SAM, "sam@example.com"))
    kim = _posted(Buyer(shop, KIM, "kim@example.com"))
    _approved(shop, sam)
    _approved(shop, kim)

    for query in ({}, {"limit": "1"}):
        dynamodb_calls.clear()
        page = storefront(shop, **query)
        assert page.status == 200 and page.body["summary"]["count"] == 2
        assert dynamodb_calls == ["Query"]
    dynamodb_calls.clear()
    assert storefront(shop, limit="1", cursor=page.body["next_cursor"]).body["items"][0]["id"] == sam
    assert dynamodb_calls == ["Query"]
    dynamodb_calls.clear()
    unknown = storefront(shop, store="nowhere")  # documented: an unknown store reads as a product without reviews
    assert (unknown.status, unknown.body["summary"]["count"], dynamodb_calls) == (200, 0, ["Query"])


def test_a_posted_review_tells_the_store_its_operators_have_one_to_moderate(
    shop: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nozzly.kernel.adapters.events import EventPublisher

    published: list[tuple[str, str, dict[str, Any]]] = []
    monkeypatch.setattr(EventPublisher, "publish", lambda _self, *event: published.append(event))

    review = _posted(Buyer(shop, SAM, "sam@example.com"), rating=5)

    [(source, kind, detail)] = published
    assert (source, kind) == ("reviews", "ReviewSubmitted")
    assert {k: detail[k] for k in ("store_id", "product", "title", "review_id", "rating")} == {
        "store_id": STORE,
        "product": "ember-longsword",
        "title": "Ember Longsword",
        "review_id": review,
        "rating": 5,
    }
    assert "sam@example.com" not in str(detail) and SAM not in str(detail)  # the author stays private
