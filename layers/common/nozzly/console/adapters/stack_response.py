"""Answering CloudFormation for a custom resource: a PUT of a JSON document to the presigned ResponseURL.

Hand-written (about 20 lines): the well-kept helpers for this (`crhelper`, `cfnresponse`) are either a
dependency the stack does not otherwise need or only exist inline in ZipFile functions.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any


def answer(
    event: dict[str, Any], status: str, physical_id: str, reason: str = "", data: dict[str, str] | None = None
) -> None:
    document = {
        "Status": status,  # SUCCESS or FAILED
        "Reason": reason[:1000] or status,
        "PhysicalResourceId": physical_id,
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": event["LogicalResourceId"],
        "Data": data or {},
    }
    body = json.dumps(document).encode()
    # The presigned URL was signed for an empty content type: sending one would break its signature.
    request = urllib.request.Request(
        event["ResponseURL"], data=body, method="PUT", headers={"content-type": "", "content-length": str(len(body))}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
