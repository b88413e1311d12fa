"""Checks each file uploaded under uploads/ (S3 ObjectCreated) and keeps it as a product image or deletes it.

Invoked asynchronously by S3: an exception makes Lambda retry the event, which processing tolerates.
"""

from __future__ import annotations

from typing import Any

from nozzly.observability import lambda_entry, logger, metrics


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # Imported on the first invocation: Pillow, pydantic models and boto3 are not cold-start costs.
    from nozzly.media.adapters.image_files import ImageFiles
    from nozzly.media.adapters.image_uploads import UploadsRepository
    from nozzly.media.adapters.product_images import ProductImagesRepository
    from nozzly.media.contracts.image_uploads import S3Event
    from nozzly.media.services.image_processing import ImageProcessor
    from nozzly.settings import get_settings

    s = get_settings()
    processor = ImageProcessor(
        uploads=UploadsRepository(s.catalog_table),
        products=ProductImagesRepository(s.catalog_table),
        files=ImageFiles(s.images_bucket),
    )
    outcomes = {}
    for record in S3Event.model_validate(event).Records:
        if not record.eventName.startswith("ObjectCreated:"):
            continue
        outcome = processor.process(record.key)
        outcomes[record.key] = outcome.value
        metrics.add_metric(name=f"ImageUpload{outcome.value.title().replace('_', '')}", unit="Count", value=1)
    logger.info("uploads processed", extra={"outcomes": outcomes})
    return {"outcomes": outcomes}
