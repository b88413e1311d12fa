"""Sending email through SES from the EmailFrom identity (verified in SES, locally as on AWS)."""

from __future__ import annotations

from email.utils import formataddr
from typing import Any

from nozzly.kernel.adapters.aws import client
from nozzly.messaging.domain.outgoing_email import OutgoingEmail


class Mailer:
    def __init__(self, sender: str) -> None:
        self.sender = sender

    def send(self, to: str, email: OutgoingEmail) -> str:
        """Returns SES's message id. The address is always the verified EmailFrom identity; the brand's name is
        shown with it (RFC 2047-encoded when not ASCII) and replies go to the brand's reply-to."""
        extra: dict[str, Any] = {"ReplyToAddresses": [email.reply_to]} if email.reply_to else {}
        answer = client("ses").send_email(
            Source=formataddr((email.sender_name, self.sender)) if email.sender_name else self.sender,
            Destination={"ToAddresses": [to]},
            **extra,
            Message={
                "Subject": {"Data": email.subject, "Charset": "UTF-8"},
                "Body": {
                    "Text": {"Data": email.text, "Charset": "UTF-8"},
                    "Html": {"Data": email.html, "Charset": "UTF-8"},
                },
            },
        )
        return str(answer["MessageId"])
