"""The inbox's API bodies (the OpenAPI document is built from them)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from nozzly.notifications.domain.notifications import OPERATOR_KINDS, Kind, Notification, Preferences

__all__ = [
    "NotificationOut",
    "NotificationPageOut",
    "PreferencesIn",
    "PreferencesOut",
    "ReadAllOut",
    "notification_out",
    "preferences_out",
]


class NotificationOut(BaseModel):
    id: str = Field(description="Sorts newest first; use it to mark this notification read.")
    store: str
    kind: Kind
    title: str = Field(description="One line of plain text.")
    body: str = Field(description="Plain text; may be empty.")
    link: str = Field(
        description="Operators: the console's hash route (`#/s/{store}/orders/{order}`); shoppers: the storefront "
        "path of the account's order page (`/account/orders/{order}`), relative to the store's storefront."
    )
    created_at: int = Field(description="Epoch seconds.")
    read_at: int | None = Field(description="Epoch seconds; null while unread.")


class NotificationPageOut(BaseModel):
    items: list[NotificationOut]
    unread: int = Field(ge=0, description="Unread notifications in the whole inbox, not only this page.")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next (older) page; null at the end.")


class ReadAllOut(BaseModel):
    marked: int = Field(ge=0, description="How many this call marked read.")
    unread: int = Field(ge=0)


class PreferencesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    muted: list[str] = Field(max_length=len(OPERATOR_KINDS), description="The kinds not to receive in this store.")


class PreferencesOut(BaseModel):
    muted: list[Kind]
    enabled: list[Kind] = Field(description="The kinds received (every kind unless muted).")
    kinds: list[Kind] = Field(description="Every kind an operator can receive.")


def notification_out(n: Notification) -> NotificationOut:
    return NotificationOut(
        id=n.id,
        store=n.store_id,
        kind=n.kind,
        title=n.title,
        body=n.body,
        link=n.link,
        created_at=n.created_at,
        read_at=n.read_at,
    )


def preferences_out(p: Preferences) -> PreferencesOut:
    return PreferencesOut(muted=sorted(p.muted), enabled=p.enabled, kinds=list(OPERATOR_KINDS))
