"""S3's checks of a browser-based (presigned POST) upload, which moto stores without checking.

S3 refuses a POST whose policy has expired, whose form fields break a condition (`eq`, `starts-with`),
whose file is outside `content-length-range`, or whose form carries a field no condition covers. moto
stores any of them. Here the emulator refuses them with S3's status codes and error codes, so an upload
link behaves locally as it does on AWS. The signature itself is not checked: the emulator knows no secrets.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

# Fields S3 never asks a condition for.
_UNCONDITIONED = {"file", "policy", "x-amz-signature", "signature", "awsaccesskeyid"}


class PolicyRefusal(Exception):
    def __init__(self, status: int, code: str, message: str, **extra: int) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra

    def xml(self) -> str:
        extra = "".join(f"<{k}>{v}</{k}>" for k, v in self.extra.items())
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{self.code}</Code><Message>{escape(self.message)}</Message>{extra}</Error>"
        )


def _denied(message: str) -> PolicyRefusal:
    return PolicyRefusal(403, "AccessDenied", f"Invalid according to Policy: {message}")


def check(form: dict[str, str], bucket: str, size: int, now: datetime | None = None) -> None:
    """Raise PolicyRefusal as S3 would answer the POST; nothing for a form without a policy."""
    fields = {k.lower(): v for k, v in form.items()}
    encoded = fields.get("policy")
    if encoded is None:
        return
    try:
        policy = json.loads(base64.b64decode(encoded))
        expiration = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
        conditions: list[Any] = policy["conditions"]
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise PolicyRefusal(400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.") from exc
    if (now or datetime.now(UTC)) > expiration:
        raise _denied("Policy expired.")
    values = fields | {"bucket": bucket}
    covered = {"bucket"}
    for condition in conditions:
        if isinstance(condition, dict):
            ((name, expected),) = condition.items()
            op, field = "eq", name.lower()
        elif condition[0] == "content-length-range":
            low, high = int(condition[1]), int(condition[2])
            if size > high:
                raise PolicyRefusal(
                    400,
                    "EntityTooLarge",
                    "Your proposed upload exceeds the maximum allowed size",
                    ProposedSize=size,
                    MaxSizeAllowed=high,
                )
            if size < low:
                raise PolicyRefusal(
                    400,
                    "EntityTooSmall",
                    "Your proposed upload is smaller than the minimum allowed size",
                    ProposedSize=size,
                    MinSizeAllowed=low,
                )
            continue
        else:
            op, field, expected = str(condition[0]).lower(), str(condition[1]).lstrip("$").lower(), condition[2]
        covered.add(field)
        actual = values.get(field, "")
        matched = actual == expected if op == "eq" else actual.startswith(str(expected))
        if not matched:
            raise _denied(f'Policy Condition failed: ["{op}", "${field}", "{expected}"]')
    extra = [f for f in fields if f not in covered | _UNCONDITIONED and not f.startswith("x-ignore-")]
    if extra:
        raise _denied(f"Extra input fields: {extra[0]}")


def install() -> None:
    from moto.s3.responses import S3Response

    original = S3Response._bucket_response_post

    def bucket_response_post(self: Any, request: Any, bucket_name: str) -> Any:
        if "key" in self.form_data:  # a browser-based upload (DeleteObjects posts XML, no form)
            body = self.body if isinstance(self.body, bytes) else str(self.body or "").encode()
            try:
                check(dict(self.form_data.items()), bucket_name, len(body))
            except PolicyRefusal as refused:
                return refused.status, {"content-type": "application/xml"}, refused.xml()
        return original(self, request, bucket_name)

    S3Response._bucket_response_post = bucket_response_post
