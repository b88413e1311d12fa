"""Outbound webhooks' pure rules: SSRF, backoff, payloads, signing (verified with the spec's library)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.url_safety import check_url
from nozzly.webhooks.domain import deliveries as d
from nozzly.webhooks.domain import endpoints as e
from nozzly.webhooks.domain import schedule
from nozzly.webhooks.domain.catalogue import API_VERSION, event_type_of
from nozzly.webhooks.domain.payloads import body_bytes, payload
from nozzly.webhooks.domain.signing import signed_headers


def resolver(*addresses: str):  # type: ignore[no-untyped-def]
    def resolve(host: str, port: int) -> Iterable[str]:
        return addresses

    return resolve


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("10.1.2.3", "private"),
        ("172.16.0.9", "private"),
        ("192.168.1.1", "private"),
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("169.254.10.10", "link-local"),
        ("fe80::1", "link-local"),
        ("100.64.1.1", "CGNAT"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::ffff:10.0.0.1", "private"),
        ("fc00::1", "private"),
    ],
)
def test_non_public_addresses_are_refused_on_aws_with_the_reason(address: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason) as refused:
        check_url("https://hooks.example.com/x", resolver(address), allow_loopback_http=False)
    assert refused.value.field == "url"


def test_one_private_address_among_public_ones_is_enough_to_refuse() -> None:
    with pytest.raises(InvalidInput, match=r"10\.0\.0\.5"):
        check_url("https://h.example.com", resolver("93.184.216.34", "10.0.0.5"), allow_loopback_http=False)


def test_a_public_https_url_is_accepted() -> None:
    check_url("https://hooks.example.com/in?x=1", resolver("93.184.216.34"), allow_loopback_http=False)


def test_http_is_refused_on_aws_even_to_a_public_address() -> None:
    with pytest.raises(InvalidInput, match="https"):
        check_url("http://hooks.example.com", resolver("93.184.216.34"), allow_loopback_http=False)


def test_the_local_cloud_allows_http_to_loopback_only() -> None:
    check_url("http://127.0.0.1:9999/in", resolver("127.0.0.1"), allow_loopback_http=True)
    with pytest.raises(InvalidInput, match="https"):
        check_url("http://hooks.example.com", resolver("93.184.216.34"), allow_loopback_http=True)
    with pytest.raises(InvalidInput, match="metadata"):
        check_url("http://169.254.169.254/latest", resolver("169.254.169.254"), allow_loopback_http=True)


@pytest.mark.parametrize(
    "url", ["ftp://example.com", "https://user:pw@example.com", "https:///nohost", "https://h:notaport/"]
)
def test_malformed_urls_are_refused(url: str) -> None:
    with pytest.raises(InvalidInput):
        check_url(url, resolver("93.184.216.34"), allow_loopback_http=False)


def test_a_host_that_does_not_resolve_is_refused() -> None:
    def nowhere(host: str, port: int) -> Iterable[str]:
        raise OSError("NXDOMAIN")

    with pytest.raises(InvalidInput, match="does not resolve"):
        check_url("https://nowhere.invalid", nowhere, allow_loopback_http=False)


def test_backoff_grows_and_lasts_about_three_days() -> None:
    delays = [schedule.next_delay(n) for n in range(1, schedule.MAX_ATTEMPTS)]
    assert delays == sorted(delays)  # type: ignore[type-var]
    assert delays[0] == 60
    assert 3 * 86400 <= schedule.total_window() <= 3.5 * 86400
    assert schedule.next_delay(schedule.MAX_ATTEMPTS) is None


def test_backoff_can_be_shortened_for_tests() -> None:
    assert schedule.total_window(scale=0.001) < 300
    assert schedule.next_delay(1, scale=0.001) == pytest.approx(0.06)


def test_sqs_delays_are_capped_at_fifteen_minutes() -> None:
    assert schedule.sqs_delay(7200) == 900
    assert schedule.sqs_delay(0.2) == 1
    assert schedule.sqs_delay(-5) == 0


def test_endpoint_is_disabled_after_consecutive_failed_deliveries_or_three_days() -> None:
    assert not schedule.should_disable(1, 1000.0, 1000.0 + 3600)
    assert schedule.should_disable(schedule.DISABLE_AFTER_FAILED_DELIVERIES, None, 0.0)
    assert schedule.should_disable(1, 0.0, 3 * 86400.0)


def test_failures_start_a_streak_that_a_success_resets() -> None:
    ep = _endpoint()
    ep = e.failed(ep, 100.0, delivery_exhausted=False)
    ep = e.failed(ep, 200.0, delivery_exhausted=True)
    assert (ep.streak_started_at, ep.failed_deliveries) == (100.0, 1)
    assert e.succeeded(ep).streak_started_at is None
    assert e.succeeded(ep).failed_deliveries == 0


def test_a_disabled_endpoint_wants_nothing() -> None:
    ep = _endpoint()
    assert ep.wants("order.placed")
    assert not ep.wants("stock.low")
    assert not e.disabled(ep, "failing").wants("order.placed")


def test_event_types_are_checked_against_the_catalogue() -> None:
    assert e.check_event_types(["order.paid", "order.placed", "order.paid"]) == ("order.paid", "order.placed")
    with pytest.raises(InvalidInput, match=r"order\.teleported"):
        e.check_event_types(["order.teleported"])
    with pytest.raises(InvalidInput):
        e.check_event_types([])


def test_bus_detail_types_map_to_webhook_types() -> None:
    assert event_type_of("OrderPlaced") == "order.placed"
    assert event_type_of("PaymentReceived") == "order.paid"
    assert event_type_of("LowStock") == "stock.low"
    assert event_type_of("CartAbandoned") is None


def test_payload_is_versioned_and_its_bytes_are_stable() -> None:
    doc = payload("order.placed", "evt-1", "2026-12-04T10:00:00Z", {"store": "s", "total": 1250})
    assert doc == {
        "type": "order.placed",
        "api_version": API_VERSION,
        "id": "evt-1",
        "created_at": "2026-12-04T10:00:00Z",
        "data": {"store": "s", "total": 1250},
    }
    again = payload("order.placed", "evt-1", "2026-12-04T10:00:00Z", {"total": 1250, "store": "s"})
    assert body_bytes(doc) == body_bytes(again)


def test_delivery_id_is_the_same_for_one_event_and_endpoint_only() -> None:
    assert d.delivery_id("evt-1", "ep_a") == d.delivery_id("evt-1", "ep_a")
    assert d.delivery_id("evt-1", "ep_a") != d.delivery_id("evt-1", "ep_b")
    assert d.delivery_id("evt-1", "ep_a") != d.delivery_id("evt-2", "ep_a")


def test_a_failed_attempt_schedules_the_next_until_none_is_left() -> None:
    delivery = d.Delivery("s", "ep", "msg_1", "order.placed", "{}", created_at=0.0)
    delivery = d.attempted(delivery, 10.0, code=500, latency_ms=12, error="HTTP 500")
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (d.Status.PENDING, 1, 70.0)
    for _ in range(schedule.MAX_ATTEMPTS - 1):
        delivery = d.attempted(delivery, 10.0, code=None, latency_ms=None, error="timed out")
    assert delivery.status is d.Status.FAILED
    assert delivery.next_attempt_at is None
    assert d.redelivery(delivery, 99.0).status is d.Status.PENDING


def test_a_redirect_is_a_failure_and_a_2xx_a_success() -> None:
    delivery = d.Delivery("s", "ep", "msg_1", "order.placed", "{}", created_at=0.0)
    assert d.attempted(delivery, 1.0, code=302, latency_ms=5, error="redirect").status is d.Status.PENDING
    done = d.attempted(delivery, 1.0, code=204, latency_ms=5, error="")
    assert (done.status, done.response_code, done.latency_ms) == (d.Status.SUCCEEDED, 204, 5)


def test_signature_verifies_with_the_standard_webhooks_library() -> None:
    secret = e.new_secret()
    body = body_bytes(payload("order.paid", "evt-9", "2026-12-04T10:00:00Z", {"amount": 999}))
    headers = signed_headers(secret, "msg_abc", body)
    assert headers["webhook-id"] == "msg_abc"
    assert Webhook(secret).verify(body, headers)["data"] == {"amount": 999}


def test_a_forged_or_tampered_signature_does_not_verify() -> None:
    secret = e.new_secret()
    body = b'{"type":"order.paid"}'
    headers = signed_headers(e.new_secret(), "msg_abc", body)  # signed with another secret
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body, headers)
    genuine = signed_headers(secret, "msg_abc", body)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(b'{"type":"order.refunded"}', genuine)


def test_an_old_signature_is_refused_by_receivers() -> None:
    secret = e.new_secret()
    body = b"{}"
    stale = signed_headers(secret, "msg_abc", body, now=datetime(2020, 1, 1, tzinfo=UTC))
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(body, stale)


def test_secrets_are_random_and_in_the_spec_format() -> None:
    a, b = e.new_secret(), e.new_secret()
    assert a != b
    assert a.startswith("whsec_")
    json.dumps(a)


def _endpoint() -> e.Endpoint:
    return e.Endpoint("s", "ep_1", "https://h.example.com", ("order.placed",), e.new_secret(), "2026-12-04")


def test_the_contract_offers_exactly_the_catalogue() -> None:
    from typing import get_args

    from nozzly.webhooks.contracts.endpoints import EventType
    from nozzly.webhooks.domain.catalogue import EVENT_TYPES

    assert list(get_args(EventType)) == list(EVENT_TYPES)
