"""The AI copy step against the local Bedrock peer (the real boto3 Converse call) and a budget table in moto."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import boto3
import pytest

from localcloud import bedrock_peer
from nozzly.imports.adapters.ai_budget import AiBudgetRepository
from nozzly.imports.adapters.bedrock import BedrockConverse
from nozzly.imports.domain.ai_budget import day_of
from nozzly.imports.domain.listing_copy import SEO_TITLE_MAX, SourceFacts
from nozzly.imports.services.ai_copy import AiCopywriter

pytestmark = pytest.mark.functional

NOW = 1_790_000_000.0
FACTS = SourceFacts(
    title="Ember Glass Table Lamp",
    description="A hand-blown amber glass lamp.\n\nWarm light for reading corners.",
    features=("E27 bulb", "1.5 m cable"),
    image_count=2,
)


@pytest.fixture(scope="module")
def peer_url() -> Iterator[str]:
    server = bedrock_peer.serve(0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def budget(aws_env: None) -> Iterator[AiBudgetRepository]:
    from moto import mock_aws

    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        dynamodb.create_table(
            TableName="stores",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        yield AiBudgetRepository("stores", dynamodb)


def writer(peer_url: str, budget: AiBudgetRepository, daily_tokens: int = 100_000) -> AiCopywriter:
    bedrock = BedrockConverse("amazon.nova-lite-v1:0", endpoint_url=peer_url, region="us-east-1")
    return AiCopywriter(bedrock, budget, daily_tokens, clock=lambda: NOW, sleep=lambda _: None)


def test_the_ai_writes_the_copy_and_the_store_is_charged_its_usage(peer_url: str, budget: AiBudgetRepository) -> None:
    outcome = writer(peer_url, budget).write("lamps", FACTS, "en", "Lamp Loft", "lighting")

    assert not outcome.copy.needs_copy and outcome.calls == 1
    assert outcome.copy.seo_title == "Ember Glass Table Lamp | Free Shipping"
    assert "<li>E27 bulb</li>" in outcome.copy.description_html
    assert len(outcome.copy.image_alts) == 2
    assert outcome.tokens > 0
    assert budget.used("lamps", day_of(NOW)) == outcome.tokens  # the reservation settled to the real usage


def test_an_invalid_answer_is_asked_again_then_the_supplier_copy_is_kept(
    peer_url: str, budget: AiBudgetRepository
) -> None:
    facts = SourceFacts("Lamp nozzly:invalid", "Glass lamp.", (), 1)
    outcome = writer(peer_url, budget).write("lamps", facts, "en", "Lamp Loft", "lighting")

    assert outcome.calls == 2 and outcome.copy.needs_copy
    assert f"at most {SEO_TITLE_MAX}" in outcome.why_fallback
    assert outcome.copy.seo_title == "Lamp nozzly:invalid"
    assert outcome.copy.description_html == "<p>Glass lamp.</p>"
    assert budget.used("lamps", day_of(NOW)) == outcome.tokens  # both answers were paid for


def test_a_throttled_call_is_retried_then_falls_back_and_costs_nothing(
    peer_url: str, budget: AiBudgetRepository
) -> None:
    facts = SourceFacts("Lamp nozzly:throttle", "Glass lamp.", (), 0)
    throttled_before = bedrock_peer.CALLS["ThrottlingException"]
    outcome = writer(peer_url, budget).write("lamps", facts, "en", "Lamp Loft", "lighting")

    assert outcome.calls == 2 and outcome.copy.needs_copy
    assert outcome.why_fallback == "throttled: ThrottlingException"
    assert bedrock_peer.CALLS["ThrottlingException"] - throttled_before == 2  # boto3 adds no retry of its own
    assert budget.used("lamps", day_of(NOW)) == 0  # reservations given back


def test_an_exhausted_budget_makes_no_call(peer_url: str, budget: AiBudgetRepository) -> None:
    outcome = writer(peer_url, budget, daily_tokens=500).write("lamps", FACTS, "en", "Lamp Loft", "lighting")

    assert outcome.calls == 0 and outcome.copy.needs_copy
    assert "AI budget of 500 tokens" in outcome.why_fallback
    assert budget.used("lamps", day_of(NOW)) == 0
