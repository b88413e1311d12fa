"""The AI's analysis of a top candidate: what is asked, and the JSON schema the answer must meet.

The model answers `{"verdict": "import" | "watch" | "skip", "reasons": [1-5 strings], "audience": string,
"risks": [0-5 strings]}`, each string 1-200 characters after trimming, nothing else. Anything else is
refused (InvalidVerdict) and the candidate keeps its score without a verdict: a run never stores words the
schema did not admit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

from nozzly.research.domain.candidates import Candidate
from nozzly.research.domain.scoring import Score

VERDICTS: Final = ("import", "watch", "skip")
MAX_ITEMS: Final = 5
MAX_TEXT: Final = 200
SYSTEM: Final = "You are a dropshipping product analyst. You answer with one JSON object only, no prose."


class InvalidVerdict(ValueError):
    """The model's answer is not the JSON the schema asks for."""


@dataclass(frozen=True, slots=True)
class Verdict:
    verdict: str
    reasons: tuple[str, ...]
    audience: str
    risks: tuple[str, ...]


def prompt(candidate: Candidate, score: Score, niche: str, keywords: tuple[str, ...]) -> str:
    facts = {
        "title": candidate.title,
        "cost": candidate.cost.amount,
        "shipping": candidate.shipping.amount,
        "currency": candidate.cost.currency,
        "our_price": score.price,
        "margin_per_sale": score.margin,
        "shipping_days": candidate.shipping_days,
        "rating": None if candidate.rating_tenths is None else candidate.rating_tenths / 10,
        "orders": candidate.order_count,
        "competing_shops": candidate.competitors,
        "trend_engagement_per_hour": score.velocity,
        "score_out_of_100": score.total / 100,
    }
    return (
        f"Our shop's niche: {niche or 'general'}; keywords: {', '.join(keywords) or 'none'}.\n"
        f"Candidate product (amounts in minor units): <candidate>{json.dumps(facts, ensure_ascii=False)}</candidate>\n"
        'Answer {"verdict": "import"|"watch"|"skip", "reasons": [1-5 short strings], '
        '"audience": "who buys it", "risks": [0-5 short strings]}.'
    )


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidVerdict(f"{name} must be a non-empty string")
    if len(value.strip()) > MAX_TEXT:
        raise InvalidVerdict(f"{name} is longer than {MAX_TEXT} characters")
    return value.strip()


def _texts(value: Any, name: str, least: int) -> tuple[str, ...]:
    if not isinstance(value, list) or not least <= len(value) <= MAX_ITEMS:
        raise InvalidVerdict(f"{name} must be a list of {least} to {MAX_ITEMS} strings")
    return tuple(_text(item, f"{name}[{i}]") for i, item in enumerate(value))


def parse_verdict(text: str) -> Verdict:
    body = text.strip()
    if body.startswith("```"):  # a fenced answer is still JSON once the fence is off
        body = body.strip("`").removeprefix("json").strip()
    try:
        data = json.loads(body)
    except ValueError as fault:
        raise InvalidVerdict(f"not JSON: {fault}") from None
    if not isinstance(data, dict) or set(data) != {"verdict", "reasons", "audience", "risks"}:
        raise InvalidVerdict("the answer must have exactly verdict, reasons, audience and risks")
    if data["verdict"] not in VERDICTS:
        raise InvalidVerdict(f"verdict must be one of {', '.join(VERDICTS)}")
    return Verdict(
        data["verdict"],
        _texts(data["reasons"], "reasons", 1),
        _text(data["audience"], "audience"),
        _texts(data["risks"], "risks", 0),
    )
