"""The console's publisher: the Custom::ConsoleFiles resource puts the site's files into the console bucket
on every deploy that changes them, and empties it when the stack is deleted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aws_lambda_powertools import Logger

from nozzly.console.adapters.site_bucket import SiteBucket
from nozzly.console.adapters.stack_response import answer
from nozzly.console.domain.site_files import StackUrls
from nozzly.console.services.site_publishing import publish, withdraw

SITE = Path(__file__).parent / "site"
logger = Logger()


@logger.inject_lambda_context
def handler(event: dict[str, Any], _context: Any) -> None:
    props = event.get("ResourceProperties", {})
    bucket = str(props.get("Bucket", ""))
    physical_id = event.get("PhysicalResourceId") or f"{bucket}/console"
    try:
        if event["RequestType"] == "Delete":
            # The physical id names the bucket this resource filled (after a bucket change, the old one).
            withdraw(SiteBucket(physical_id.rsplit("/", 1)[0]))
            answer(event, "SUCCESS", physical_id)
            return
        urls = StackUrls(str(props.get("MediaSources", "")), str(props.get("LiveUrl", "")))
        count = publish(SiteBucket(bucket), SITE, urls)
        logger.info("console published", extra={"bucket": bucket, "objects": count})
        answer(event, "SUCCESS", f"{bucket}/console", data={"Objects": str(count)})
    except Exception as problem:
        # CloudFormation waits an hour for an answer that never comes: every failure is answered.
        logger.exception("console publishing failed")
        answer(event, "FAILED", physical_id, reason=f"{type(problem).__name__}: {problem}")
