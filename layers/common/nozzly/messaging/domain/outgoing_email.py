"""An email ready to send: its subject, plain text and HTML parts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OutgoingEmail:
    subject: str
    text: str
    html: str
