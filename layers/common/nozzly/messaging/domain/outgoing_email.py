"""An email ready to send: its subject, plain text and HTML parts, the sender's name and where replies go."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OutgoingEmail:
    subject: str
    text: str
    html: str
    sender_name: str | None = None  # shown before the platform's sending address
    reply_to: str | None = None  # where replies go; None: to the sending address
