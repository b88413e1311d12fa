"""Upload records of product, category and brand images (catalog table, `pk={store}, sk=UPLOAD#{id}`).

The record's status is the processor's idempotency guard: it only ever leaves `pending` once, conditionally.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.catalog.adapters.catalog_codec import image_data, image_from  # one encoding of an image everywhere
from nozzly.catalog.domain.catalog import ProductImage
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.media.domain.image_uploads import ImageOwner, Upload, UploadStatus

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

UPLOAD_PREFIX = "UPLOAD#"


def upload_sk(upload_id: str) -> str:
    return f"{UPLOAD_PREFIX}{upload_id}"


def _to_data(upload: Upload) -> dict[str, Any]:
    return {
        "pk": upload.store_id,
        "sk": upload_sk(upload.upload_id),
        "type": "image_upload",
        "upload_id": upload.upload_id,
        "kind": upload.kind.value,
        "owner": upload.owner,
        "content_type": upload.content_type,
        "alt": upload.alt,
        "created_at": upload.created_at,
        "expires_at": upload.expires_at,
        "status": upload.status.value,
        "reason": upload.reason,
        "image": image_data(upload.image) if upload.image else None,
    }


def _from_data(data: dict[str, Any]) -> Upload:
    return Upload(
        store_id=data["pk"],
        upload_id=data["upload_id"],
        owner=data.get("owner") or data["product"],  # records written before kinds existed name a product
        content_type=data["content_type"],
        alt=data.get("alt", ""),
        created_at=int(data["created_at"]),
        expires_at=int(data["expires_at"]),
        status=UploadStatus(data["status"]),
        reason=data.get("reason"),
        image=image_from(data["image"]) if data.get("image") else None,
        kind=ImageOwner(data.get("kind", ImageOwner.PRODUCT.value)),
    )


class UploadsRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def create(self, upload: Upload) -> None:
        dynamodb_client(self._dynamodb).put_item(
            TableName=self.table, Item=to_item(_to_data(upload)), ConditionExpression="attribute_not_exists(pk)"
        )

    def get(self, store_id: str, upload_id: str) -> Upload | None:
        """Consistent: the processor reads its guard, and operators poll right after uploading."""
        response = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table,
            Key={"pk": {"S": store_id}, "sk": {"S": upload_sk(upload_id)}},
            ConsistentRead=True,
        )
        item = response.get("Item")
        return _from_data(from_item(item)) if item else None

    def accept(self, store_id: str, upload_id: str, image: ProductImage) -> bool:
        return self._finish(store_id, upload_id, UploadStatus.ACCEPTED, {"image": image_data(image)})

    def reject(self, store_id: str, upload_id: str, reason: str) -> bool:
        return self._finish(store_id, upload_id, UploadStatus.REJECTED, {"reason": reason})

    def _finish(self, store_id: str, upload_id: str, status: UploadStatus, fields: dict[str, Any]) -> bool:
        """Leave `pending`, once: False if another delivery of the same event finished it first."""
        values = {f":{name}": value for name, value in fields.items()}
        sets = ", ".join(f"#{name} = :{name}" for name in fields)
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            dynamodb.update_item(
                TableName=self.table,
                Key={"pk": {"S": store_id}, "sk": {"S": upload_sk(upload_id)}},
                UpdateExpression=f"SET #status = :status, {sets}",
                ConditionExpression="#status = :pending",
                ExpressionAttributeNames={"#status": "status"} | {f"#{name}": name for name in fields},
                ExpressionAttributeValues=to_item(
                    values | {":status": status.value, ":pending": UploadStatus.PENDING.value}
                ),
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True
