"""Sending email through SES from the EmailFrom identity (verified in SES, locally as on AWS)."""

from __future__ import annotations

from nozzly.kernel.adapters.aws import client
from nozzly.messaging.domain.outgoing_email import OutgoingEmail


class Mailer:
    def __init__(self, sender: str) -> None:
        self.sender = sender

    def send(self, to: str, email: OutgoingEmail) -> str:
        """Returns SES's message id."""
        answer = client("ses").send_email(
            Source=self.sender,
            Destination={"ToAddresses": [to]},
            Message={
                "Subject": {"Data": email.subject, "Charset": "UTF-8"},
                "Body": {
                    "Text": {"Data": email.text, "Charset": "UTF-8"},
                    "Html": {"Data": email.html, "Charset": "UTF-8"},
                },
            },
        )
        return str(answer["MessageId"])
