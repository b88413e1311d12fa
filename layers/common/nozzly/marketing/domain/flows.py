"""The automated email flows a store controls: each on or off, its delay within safe bounds, its subject and
opening line with placeholders. Pure.

The defaults are what the senders did before flows were settings (same stages, same words), so a store that
never saved its flows behaves as before. Delays are bounded so a stage can never be sent before the one it
follows nor after the data it shows is gone: the abandoned-cart stages' windows (delay + the reminder job's
6 h catch-up) never overlap, and the last ends before the cart's snapshot expires (7 days).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Final

from nozzly.kernel.domain.errors import InvalidInput, NotFound
from nozzly.marketing.domain.placeholders import check, fill

SECTION: Final = "email_flows"  # the stores table's settings item that holds a store's flows
MAX_SUBJECT: Final = 150
MAX_INTRO: Final = 600


class Unit(StrEnum):
    HOURS = "hours"
    DAYS = "days"


@dataclass(frozen=True, slots=True)
class Delay:
    unit: Unit
    default: int
    minimum: int
    maximum: int


@dataclass(frozen=True, slots=True)
class Flow:
    key: str
    title: str
    marketing: bool  # a shopper who opted out of the store's marketing gets none of these
    subject: str
    intro: str
    placeholders: frozenset[str]
    delay: Delay | None = None
    enabled: bool = True
    # Sent even when turned off (a legal duty: the order confirmation, the contract's confirmation on a durable
    # medium under the EU Consumer Rights Directive, art. 8(7)); off then only drops the store's own words.
    required: bool = False


_SHOPPER = frozenset({"store_name", "first_name"})
_ORDER = _SHOPPER | {"order_number"}
_CART_SUBJECT = "Still thinking it over? Your {store_name} cart"

FLOWS: Final[dict[str, Flow]] = {
    f.key: f
    for f in (
        Flow("welcome", "Welcome", False, "Welcome to {store_name}", "", _SHOPPER),
        Flow(
            "abandoned_cart_1h",
            "Abandoned cart: first reminder",
            True,
            _CART_SUBJECT,
            "You left something in your cart.",
            _SHOPPER,
            Delay(Unit.HOURS, 1, 1, 6),
        ),
        Flow(
            "abandoned_cart_24h",
            "Abandoned cart: second reminder",
            True,
            _CART_SUBJECT,
            "Your cart is still waiting for you.",
            _SHOPPER,
            Delay(Unit.HOURS, 24, 12, 48),
        ),
        Flow(
            "abandoned_cart_72h",
            "Abandoned cart: last reminder",
            True,
            _CART_SUBJECT,
            "Last reminder: your cart is still here, but items sell out.",
            _SHOPPER,
            Delay(Unit.HOURS, 72, 60, 120),
        ),
        Flow(
            "order_confirmation",
            "Order confirmation",
            False,
            "Your {store_name} order #{order_number}",
            "",
            _ORDER,
            required=True,
        ),
        Flow(
            "order_shipped", "Order shipped", False, "Your {store_name} order #{order_number} is on its way", "", _ORDER
        ),
        Flow(
            "order_delivered",
            "Order delivered",
            False,
            "Your {store_name} order #{order_number} was delivered",
            "",
            _ORDER,
        ),
        Flow(
            "review_request",
            "Review request",
            True,
            "How was your {store_name} order #{order_number}?",
            "We hope you are enjoying your order. A short review helps other shoppers choose.",
            _ORDER | {"product_title"},
            Delay(Unit.DAYS, 7, 1, 60),
        ),
        Flow(
            "back_in_stock",
            "Back in stock",
            True,
            "{product_title} is back in stock at {store_name}",
            "",
            _SHOPPER | {"product_title"},
        ),
        Flow(
            "win_back",
            "Win-back",
            True,
            "We miss you at {store_name}",
            "It has been a while. Here is what is new since your last order.",
            _SHOPPER,
            Delay(Unit.DAYS, 90, 30, 365),
            enabled=False,  # new: nobody got it before flows were settings
        ),
    )
}

# Sample data the preview renders with (a shopper's first name, an order, a product).
SAMPLE: Final = {"first_name": "Alex", "order_number": "1001", "product_title": "Sample product"}


@dataclass(frozen=True, slots=True)
class FlowSetting:
    key: str
    enabled: bool
    delay: int | None  # in the flow's unit; None for a flow sent on its event
    subject: str
    intro: str

    @property
    def flow(self) -> Flow:
        return FLOWS[self.key]

    def delay_seconds(self) -> int | None:
        if self.delay is None or self.flow.delay is None:
            return None
        return self.delay * (3600 if self.flow.delay.unit is Unit.HOURS else 86400)

    def render(self, values: Mapping[str, str]) -> tuple[str, str]:
        """The subject and intro with the placeholders filled."""
        allowed = self.flow.placeholders
        return " ".join(fill(self.subject, allowed, values).split()), fill(self.intro, allowed, values)

    def words(self, values: Mapping[str, str]) -> tuple[str, str] | None:
        """What the flow's email says, (subject, intro) filled; None: turned off, not sent. A required flow is
        sent when off too, in its default subject and with no intro of the store's."""
        if self.enabled:
            return self.render(values)
        if self.flow.required:
            return default(self.key).render(values)[0], ""
        return None

    def as_data(self) -> dict[str, Any]:
        return {"enabled": self.enabled, "delay": self.delay, "subject": self.subject, "intro": self.intro}


def first_name(full_name: object) -> str:
    """The {first_name} placeholder's value from a full name ("" when none is known)."""
    return (str(full_name or "").split() or [""])[0]


def flow(key: str) -> Flow:
    if key not in FLOWS:
        raise NotFound(f"no email flow {key!r}", field="flow")
    return FLOWS[key]


def default(key: str) -> FlowSetting:
    f = flow(key)
    return FlowSetting(key, f.enabled, f.delay.default if f.delay else None, f.subject, f.intro)


def current(key: str, saved: Mapping[str, Any]) -> FlowSetting:
    """A flow as the store has it: its saved fields over the defaults (a field added later reads its default)."""
    own = saved.get(key) or {}
    base = default(key)
    return FlowSetting(
        key,
        bool(own.get("enabled", base.enabled)),
        int(own["delay"]) if own.get("delay") is not None and base.delay is not None else base.delay,
        str(own.get("subject") or base.subject),
        str(own["intro"]) if own.get("intro") is not None else base.intro,
    )


def every(saved: Mapping[str, Any]) -> list[FlowSetting]:
    return [current(key, saved) for key in FLOWS]


def changed(before: FlowSetting, patch: Mapping[str, Any]) -> FlowSetting:
    """The flow after a change of some of its fields (absent: kept), judged; InvalidInput names the field."""
    f = before.flow
    after = before
    if "enabled" in patch:
        after = replace(after, enabled=bool(patch["enabled"]))
    if "delay" in patch:
        after = replace(after, delay=_delay(f, patch["delay"]))
    if "subject" in patch:
        subject = " ".join(str(patch["subject"]).split())
        if not subject or len(subject) > MAX_SUBJECT:
            raise InvalidInput(f"subject: 1 to {MAX_SUBJECT} characters", field="subject")
        after = replace(after, subject=check(subject, f.placeholders, "subject"))
    if "intro" in patch:
        intro = str(patch["intro"]).strip()
        if len(intro) > MAX_INTRO:
            raise InvalidInput(f"intro: at most {MAX_INTRO} characters", field="intro")
        after = replace(after, intro=check(intro, f.placeholders, "intro"))
    return after


def _delay(f: Flow, value: Any) -> int | None:
    if f.delay is None:
        if value is None:
            return None
        raise InvalidInput(f"delay: the {f.key} flow is sent on its event and has no delay", field="delay")
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"delay: a whole number of {f.delay.unit.value}", field="delay")
    if not f.delay.minimum <= value <= f.delay.maximum:
        raise InvalidInput(
            f"delay: between {f.delay.minimum} and {f.delay.maximum} {f.delay.unit.value} for {f.key}", field="delay"
        )
    return value


def saved_data(saved: Mapping[str, Any], after: FlowSetting) -> dict[str, Any]:
    """The section's data with one flow replaced (every flow keeps its own saved fields)."""
    return dict(saved) | {after.key: after.as_data()}
