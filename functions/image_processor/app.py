"""Checks each file uploaded under uploads/ (S3 ObjectCreated) and keeps it as a product image or deletes it.

Invoked asynchronously by S3: an exception makes Lambda retry the event, which processing tolerates.
"""

from __future__ import annotations

from typing import Any

from nozzly.observability import lambda_entry, logger, metrics
from nozzly.wiring import media


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # Imported on the first invocation: pydantic models are not cold-start costs (Pillow and boto3 come with
    # the processor, on its first use).
    from nozzly.media.contracts.image_uploads import S3Event

    processor = media.image_processor()
    outcomes = {}
    for record in S3Event.model_validate(event).Records:
        if not record.eventName.startswith("ObjectCreated:"):
            continue
        outcome = processor.process(record.key)
        outcomes[record.key] = outcome.value
        metrics.add_metric(name=f"ImageUpload{outcome.value.title().replace('_', '')}", unit="Count", value=1)
    logger.info("uploads processed", extra={"outcomes": outcomes})
    return {"outcomes": outcomes}
