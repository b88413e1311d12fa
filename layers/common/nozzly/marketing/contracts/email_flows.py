"""Email flows over HTTP (operators' admin routes under /admin/stores/{store}/email-flows)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator

from nozzly.marketing.domain.flow_stats import FlowCounts
from nozzly.marketing.domain.flows import MAX_INTRO, MAX_SUBJECT, FlowSetting

_CLOSED = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently ignored
Subject = Annotated[str, Field(min_length=1, max_length=MAX_SUBJECT, description="Placeholders: see `placeholders`.")]
Intro = Annotated[str, Field(max_length=MAX_INTRO, description="The opening line; placeholders as in the subject.")]


class FlowOut(BaseModel):
    key: str = Field(description="The flow, e.g. abandoned_cart_1h, review_request.")
    title: str
    marketing: bool = Field(description="True: not sent to a shopper who opted out of the store's marketing.")
    required: bool = Field(
        description="True: sent even when turned off (a legal duty); off then only drops the store's subject and intro."
    )
    enabled: bool
    delay: int | None = Field(description="After its trigger, in `delay_unit`; null: sent on its event.")
    delay_unit: Literal["hours", "days"] | None
    delay_min: int | None
    delay_max: int | None
    subject: str
    intro: str
    placeholders: list[str] = Field(description="The names the subject and intro may use, as {name}.")

    @classmethod
    def of(cls, setting: FlowSetting) -> FlowOut:
        delay = setting.flow.delay
        return cls(
            key=setting.key,
            title=setting.flow.title,
            marketing=setting.flow.marketing,
            required=setting.flow.required,
            enabled=setting.enabled,
            delay=setting.delay,
            delay_unit=delay.unit.value if delay else None,
            delay_min=delay.minimum if delay else None,
            delay_max=delay.maximum if delay else None,
            subject=setting.subject,
            intro=setting.intro,
            placeholders=sorted(setting.flow.placeholders),
        )


class CountedFlowOut(FlowOut):
    sent: int = Field(description="Emails of this flow sent so far (counted by the sender once sent).")
    opened: int | None = Field(
        description="Not measured: null. SES open tracking needs a configuration set's event publishing, which "
        "the local emulator does not produce."
    )
    clicked: int = Field(description="First clicks of the emails' tracked links (GET /r/{token}).")
    converted: int = Field(description="Orders by a clicking address within 7 days of its click, one per click.")

    @classmethod
    def of(cls, setting: FlowSetting, counts: FlowCounts | None = None) -> CountedFlowOut:
        n = counts or FlowCounts()
        return cls(
            **FlowOut.of(setting).model_dump(), sent=n.sent, opened=n.opened, clicked=n.clicked, converted=n.converted
        )


class FlowsOut(BaseModel):
    version: int = Field(description="Of the store's flows; a change names it (0: never saved).")
    flows: list[CountedFlowOut]


class OneFlowOut(FlowOut):
    version: int = Field(description="Of the store's flows after this read or change.")


class OneCountedFlowOut(CountedFlowOut):
    version: int = Field(description="Of the store's flows after this read.")


class FlowPatch(BaseModel):
    model_config = _CLOSED

    version: StrictInt = Field(ge=0, description="The version read; another writer since makes this a 409.")
    enabled: StrictBool | None = None
    delay: StrictInt | None = Field(None, description="Within the flow's delay_min..delay_max.")
    subject: Subject | None = None
    intro: Intro | None = None

    @field_validator("enabled", "delay", "subject", "intro")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("cannot be null")
        return value

    def changes(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set if name != "version"}


class PreviewIn(BaseModel):
    model_config = _CLOSED

    subject: Subject | None = Field(None, description="Unsaved words to preview; absent: the saved subject.")
    intro: Intro | None = Field(None, description="Unsaved words to preview; absent: the saved intro.")

    def draft(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set if getattr(self, name) is not None}


class PreviewOut(BaseModel):
    subject: str
    intro: str
    sample: dict[str, str] = Field(description="The sample values the placeholders were filled with.")
