"""PaymentWebhooks under moto: signatures on the raw body, and each provider event processed exactly once.

A recording handler stands in for services.payment_events.handle (the checkout engineer's): it counts calls.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from nozzly.payments.domain.payments import PaymentEvent
from tests.functional.auth_helpers import api_event
from tests.functional.harness import Cloud, HttpResponse, concurrently
from tests.payment_samples import (
    dumps,
    square_payment_event,
    square_signature,
    stripe_intent_event,
    stripe_signature,
)

pytestmark = [pytest.mark.functional, pytest.mark.filterwarnings("ignore::DeprecationWarning")]
FUNCTION = "PaymentWebhooks"


class Recorder:
    """handle() that records each event it is given; `hold` keeps it busy so deliveries overlap."""

    def __init__(self) -> None:
        self.events: list[PaymentEvent] = []
        self.lock = threading.Lock()
        self.hold = 0.0
        self.fail = False

    def __call__(self, event: PaymentEvent) -> str:
        with self.lock:
            self.events.append(event)
        time.sleep(self.hold)
        if self.fail:
            raise RuntimeError("the order store is down")
        return "confirmed"


@pytest.fixture
def recorder(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    from nozzly.sales.services import payment_events

    found = Recorder()
    monkeypatch.setattr(payment_events, "handle", found)
    cloud.apply_environment(cloud.environments[FUNCTION])
    yield found


def secrets(cloud: Cloud) -> dict[str, str]:
    """The function's environment plus the value of each secret it names (an SSM SecureString, never the value)."""
    env = dict(cloud.environments[FUNCTION])
    ssm = cloud.client("ssm")
    for name in [k for k in env if k.endswith("_PARAMETER") and env[k]]:  # an empty name: nothing to read (Sentry off)
        try:
            found = ssm.get_parameter(Name=env[name], WithDecryption=True)["Parameter"]
        except ssm.exceptions.ParameterNotFound:
            continue
        env[name.removesuffix("_PARAMETER")] = found["Value"]
    # The URLs the template keeps out of the function's environment (PlatformUrls: Square signs its own one).
    env |= {k.upper(): v for k, v in json.loads(env.pop("PLATFORM_URLS", "{}")).items()}
    return env


def stripe_call(cloud: Cloud, body: str, signature: str | None) -> HttpResponse:
    headers = {"stripe-signature": signature} if signature is not None else {}
    return cloud.http(FUNCTION, api_event("POST /webhooks/stripe", raw_body=body, headers=headers))


def signed_stripe(cloud: Cloud, event: dict[str, Any]) -> tuple[str, str]:
    body = dumps(event)
    return body, stripe_signature(body, secrets(cloud)["STRIPE_WEBHOOK_SECRET"])


def square_call(cloud: Cloud, body: str, signature: str) -> HttpResponse:
    event = api_event("POST /webhooks/square", raw_body=body, headers={"x-square-hmacsha256-signature": signature})
    return cloud.http(FUNCTION, event)


def _scan(cloud: Cloud) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = cloud.client("dynamodb").scan(TableName=cloud.names["IdempotencyTable"])["Items"]
    return items


def test_a_signed_stripe_event_reaches_the_handler_once_and_leaves_a_completed_record(
    cloud: Cloud, recorder: Recorder
) -> None:
    body, signature = signed_stripe(cloud, stripe_intent_event(event_id="evt_paid_1", checkout_id="chk_42"))
    response = stripe_call(cloud, body, signature)
    assert response.status == 200, response.body
    assert response.body == {"received": True, "event_id": "evt_paid_1", "outcome": "confirmed"}
    assert [(e.event_id, e.checkout_id, e.kind) for e in recorder.events] == [("evt_paid_1", "chk_42", "succeeded")]
    [record] = _scan(cloud)
    assert record["status"]["S"] == "COMPLETED"
    assert record["id"]["S"].startswith("payment-event#")


@pytest.mark.parametrize(
    "signature",
    [None, "t=1,v1=deadbeef", "signed-with-another-secret", "stale"],
)
def test_a_bad_or_stale_stripe_signature_answers_400_and_changes_nothing(
    cloud: Cloud, recorder: Recorder, signature: str | None
) -> None:
    body = dumps(stripe_intent_event(event_id="evt_forged"))
    if signature == "signed-with-another-secret":
        signature = stripe_signature(body, "whsec_attacker")
    elif signature == "stale":  # a genuine signature replayed after Stripe's 5 minute tolerance
        signature = stripe_signature(body, secrets(cloud)["STRIPE_WEBHOOK_SECRET"], int(time.time()) - 600)
    response = stripe_call(cloud, body, signature)
    assert response.status == 400, response.body
    assert response.body["error"]["fields"][0]["field"] == "signature"
    assert recorder.events == []
    assert _scan(cloud) == []


def test_a_bad_square_signature_answers_400_and_a_good_one_is_processed(cloud: Cloud, recorder: Recorder) -> None:
    body = dumps(square_payment_event("COMPLETED", event_id="sq-evt-7"))
    forged = square_call(
        cloud, body, square_signature(body, key="not-the-key", url=secrets(cloud)["SQUARE_NOTIFICATION_URL"])
    )
    assert forged.status == 400 and recorder.events == [] and _scan(cloud) == []
    env = secrets(cloud)
    good = square_call(
        cloud, body, square_signature(body, env["SQUARE_WEBHOOK_SIGNATURE_KEY"], env["SQUARE_NOTIFICATION_URL"])
    )
    assert good.status == 200, good.body
    assert [(e.provider, e.event_id, e.kind) for e in recorder.events] == [("square", "sq-evt-7", "succeeded")]


def test_an_event_type_nozzly_does_not_act_on_is_acknowledged_without_effect(cloud: Cloud, recorder: Recorder) -> None:
    body, signature = signed_stripe(cloud, stripe_intent_event("customer.created", event_id="evt_other"))
    response = stripe_call(cloud, body, signature)
    assert (response.status, response.body["outcome"]) == (200, "unhandled")
    assert recorder.events == [] and _scan(cloud) == []


def test_a_replay_after_success_answers_200_with_the_first_outcome_and_no_second_call(
    cloud: Cloud, recorder: Recorder
) -> None:
    body, signature = signed_stripe(cloud, stripe_intent_event(event_id="evt_replayed"))
    first = stripe_call(cloud, body, signature)
    again = stripe_call(cloud, body, stripe_signature(body, secrets(cloud)["STRIPE_WEBHOOK_SECRET"]))  # a retry
    assert first.status == again.status == 200
    assert again.body == first.body
    assert len(recorder.events) == 1


@pytest.mark.parametrize("provider", ["stripe", "square"])
def test_one_event_delivered_5_times_concurrently_is_processed_once(
    cloud: Cloud, recorder: Recorder, provider: str
) -> None:
    recorder.hold = 0.5  # the first delivery is still running while the others arrive
    env = secrets(cloud)
    if provider == "stripe":
        body, signature = signed_stripe(cloud, stripe_intent_event(event_id="evt_5x"))
        calls = [lambda: stripe_call(cloud, body, signature)] * 5
    else:
        body = dumps(square_payment_event("COMPLETED", event_id="sq-5x"))
        signature = square_signature(body, env["SQUARE_WEBHOOK_SIGNATURE_KEY"], env["SQUARE_NOTIFICATION_URL"])
        calls = [lambda: square_call(cloud, body, signature)] * 5
    answers = concurrently(calls)
    assert len(recorder.events) == 1
    statuses = sorted(a.status for a in answers)
    # One delivery ran the handler; the ones that arrived while it ran got 409 (Powertools' in-progress answer:
    # the provider delivers them again later), any that arrived after it finished got its stored answer.
    assert statuses.count(200) >= 1 and set(statuses) <= {200, 409}, statuses
    in_flight = [a for a in answers if a.status == 409]
    assert all(a.body["error"]["fields"][0]["field"] == "event_id" for a in in_flight)
    # The provider's later retry of an in-flight duplicate gets the stored outcome, still without a second call.
    if provider == "stripe":
        retry = stripe_call(cloud, body, stripe_signature(body, env["STRIPE_WEBHOOK_SECRET"]))
    else:
        retry = square_call(cloud, body, signature)
    assert (retry.status, retry.body["outcome"]) == (200, "confirmed")
    assert len(recorder.events) == 1


def test_a_handler_failure_answers_500_and_the_providers_retry_runs_it_again(cloud: Cloud, recorder: Recorder) -> None:
    body, signature = signed_stripe(cloud, stripe_intent_event(event_id="evt_retry"))
    recorder.fail = True
    assert stripe_call(cloud, body, signature).status == 500
    assert _scan(cloud) == []  # Powertools removed the INPROGRESS record: the event is not marked done
    recorder.fail = False
    assert stripe_call(cloud, body, signature).status == 200
    assert len(recorder.events) == 2


def _no(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda event: event.pop(key)


def _stripe_amount(value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda event: event["data"]["object"].__setitem__("amount", value)


def _square_amount(value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda event: event["data"]["object"]["payment"].__setitem__("amount_money", {"amount": value})


@pytest.mark.parametrize("change", [_no("data"), _no("id"), _stripe_amount("lots"), _stripe_amount(1.5)])
def test_a_signed_stripe_event_nozzly_cannot_use_is_acknowledged_as_ignored_logged_and_counted(
    cloud: Cloud,
    recorder: Recorder,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    change: Callable[[dict[str, Any]], None],
) -> None:
    event = stripe_intent_event(event_id="evt_bad")
    change(event)
    event_id = event.get("id")  # named in the answer when the event has one
    body, signature = signed_stripe(cloud, event)

    response = stripe_call(cloud, body, signature)

    assert response.status == 200, response.body
    assert response.body == {"received": True, "event_id": event_id, "outcome": "ignored"}
    assert recorder.events == [] and _scan(cloud) == []
    assert "payment webhook ignored" in caplog.text  # with its reason, as structured fields
    assert '"PaymentWebhooksIgnored":[1.0]' in capsys.readouterr().out  # the metric, in Embedded Metric Format


@pytest.mark.parametrize(
    ("change", "event_id"), [(_no("data"), "sq-bad"), (_no("event_id"), None), (_square_amount("2500"), "sq-bad")]
)
def test_a_signed_square_event_nozzly_cannot_use_is_acknowledged_as_ignored(
    cloud: Cloud, recorder: Recorder, change: Callable[[dict[str, Any]], None], event_id: str | None
) -> None:
    event = square_payment_event("COMPLETED", event_id="sq-bad")
    change(event)
    body = dumps(event)
    env = secrets(cloud)

    response = square_call(
        cloud, body, square_signature(body, env["SQUARE_WEBHOOK_SIGNATURE_KEY"], env["SQUARE_NOTIFICATION_URL"])
    )

    assert response.status == 200, response.body
    assert response.body == {"received": True, "event_id": event_id, "outcome": "ignored"}
    assert recorder.events == [] and _scan(cloud) == []


def test_a_malformed_body_without_a_good_signature_is_still_400(cloud: Cloud, recorder: Recorder) -> None:
    response = stripe_call(cloud, '{"type": "payment_intent.succeeded"}', "t=1,v1=deadbeef")
    assert response.status == 400 and response.body["error"]["fields"][0]["field"] == "signature"
    assert recorder.events == [] and _scan(cloud) == []
