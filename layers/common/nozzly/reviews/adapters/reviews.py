"""Product reviews in the customers table (key design: nozzly/README.md, "Reviews").

One partition per product, `{store}#REVIEWS#{product}`: a review per author (`REVIEW#{key}`) and the
approved ratings' summary (`#SUMMARY`). Two sparse indexes read them in order without scanning:
`reviews_by_product` holds the summary first and the approved reviews newest first (the storefront's one
Query); `review_queue` holds every review under its store and status, oldest first (the moderation queue).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters import cursor as cursors
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.batch import Read
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.kernel.domain.errors import Conflict
from nozzly.reviews.domain.reviews import ProductReviews, Review, ReviewPage, ReviewStatus, Summary, SummaryChange

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

PRODUCT_INDEX, QUEUE_INDEX = "reviews_by_product", "review_queue"
_PRODUCT_KEYS = ("pk", "sk", "product_reviews_pk", "product_reviews_sk")
_QUEUE_KEYS = ("pk", "sk", "review_queue_pk", "review_queue_sk")
SUMMARY = "#SUMMARY"  # sorts before every review key ("R#..." in the index, "REVIEW#..." in the table)
_REVIEW = "REVIEW#"
_NEWEST_FIRST = 10**13  # epoch milliseconds stay below it until the year 2286


def _partition(store_id: str, product: str) -> str:
    return f"{store_id}#REVIEWS#{product}"


def _queue(store_id: str, status: ReviewStatus) -> str:
    return f"{store_id}#REVIEWQ#{status.value}"


def _to_data(review: Review) -> dict[str, Any]:
    data: dict[str, Any] = {
        "pk": _partition(review.store_id, review.product),
        "sk": _REVIEW + review.key,
        "type": "review",
        "store_id": review.store_id,
        "product": review.product,
        "review_key": review.key,
        "author": review.author,
        "author_email": review.author_email,
        "rating": review.rating,
        "title": review.title,
        "body": review.text,
        "review_status": review.status.value,
        "submitted_at": review.submitted_at,
        "moderated_at": review.moderated_at,
        "moderated_by": review.moderated_by,
        "reason": review.reason,
        "version": review.version,
        "review_queue_pk": _queue(review.store_id, review.status),
        "review_queue_sk": f"{review.submitted_at:013d}#{review.product}#{review.key}",
    }
    if review.counted:  # only approved reviews are in the storefront's index
        data["product_reviews_pk"] = data["pk"]
        data["product_reviews_sk"] = f"R#{_NEWEST_FIRST - review.submitted_at:013d}#{review.key}"
    return data


def _from_data(data: dict[str, Any]) -> Review:
    return Review(
        store_id=data["store_id"],
        product=data["product"],
        key=data["review_key"],
        author=data.get("author", ""),  # not projected into the storefront's index
        author_email=data.get("author_email", ""),
        rating=int(data["rating"]),
        title=data.get("title"),
        text=data["body"],
        status=ReviewStatus(data["review_status"]),
        submitted_at=int(data["submitted_at"]),
        moderated_at=data.get("moderated_at"),
        moderated_by=data.get("moderated_by"),
        reason=data.get("reason"),
        version=int(data.get("version", 0)),
    )


class ReviewsRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def review_read(self, store_id: str, product: str, key: str) -> Read[Review]:
        """The review of one author, for a unit of work's ReadSet."""
        return Read(self.table, self._key(store_id, product, key), _from_data)

    def get(self, store_id: str, product: str, key: str) -> Review | None:
        response = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table, Key=self._key(store_id, product, key), ConsistentRead=True
        )
        return _from_data(from_item(response["Item"])) if "Item" in response else None

    def for_storefront(self, store_id: str, product: str, *, cursor: str | None, limit: int) -> ProductReviews:
        """One Query of the product's index partition: the summary first (page one only), then approved reviews
        newest first. No summary yet: nothing was ever approved (or there is no such product)."""
        partition = _partition(store_id, product)
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": PRODUCT_INDEX,
            "KeyConditionExpression": "product_reviews_pk = :p",
            "ExpressionAttributeValues": {":p": {"S": partition}},
            "Limit": limit + (1 if cursor else 2),  # a look-ahead review, and the summary on page one
        }
        if cursor:
            kwargs["ExclusiveStartKey"] = cursors.decode(
                cursor, key_attrs=set(_PRODUCT_KEYS), partition_attr="product_reviews_pk", partition_value=partition
            )
        items = [from_item(i) for i in dynamodb_client(self._dynamodb).query(**kwargs)["Items"]]
        summary = Summary()
        if items and items[0]["product_reviews_sk"] == SUMMARY:
            summary = Summary(int(items[0].get("review_count", 0)), int(items[0].get("rating_sum", 0)))
            items = items[1:]
        elif not cursor:
            items = items[: limit + 1]
        page = items[:limit]
        next_cursor = cursors.encode({k: {"S": page[-1][k]} for k in _PRODUCT_KEYS}) if len(items) > limit else None
        return ProductReviews(summary, [_from_data(i) for i in page], next_cursor)

    def queue(self, store_id: str, status: ReviewStatus, *, cursor: str | None, limit: int) -> ReviewPage:
        """A store's reviews of one status, oldest post first: one Query of the queue index."""
        partition = _queue(store_id, status)
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": QUEUE_INDEX,
            "KeyConditionExpression": "review_queue_pk = :p",
            "ExpressionAttributeValues": {":p": {"S": partition}},
            "Limit": limit + 1,
        }
        if cursor:
            kwargs["ExclusiveStartKey"] = cursors.decode(
                cursor, key_attrs=set(_QUEUE_KEYS), partition_attr="review_queue_pk", partition_value=partition
            )
        items = [from_item(i) for i in dynamodb_client(self._dynamodb).query(**kwargs)["Items"]]
        page = items[:limit]
        next_cursor = cursors.encode({k: {"S": page[-1][k]} for k in _QUEUE_KEYS}) if len(items) > limit else None
        return ReviewPage([_from_data(i) for i in page], next_cursor)

    def save(self, before: Review | None, after: Review, change: SummaryChange) -> None:
        """Write the review over the version read and move the summary by `change`, in one transaction.

        A review written meanwhile (another post, another moderator) fails the condition: 409, nothing changed.
        """
        put: dict[str, Any] = {"TableName": self.table, "Item": to_item(_to_data(after))}
        if before is None:
            put["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            put["ConditionExpression"] = "version = :read"
            put["ExpressionAttributeValues"] = {":read": {"N": str(before.version)}}
        ops: list[dict[str, Any]] = [{"Put": put}]
        if not change.is_none:
            ops.append({"Update": self._summary_update(after.store_id, after.product, change)})
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            dynamodb.transact_write_items(TransactItems=ops)  # type: ignore[arg-type]
        except dynamodb.exceptions.TransactionCanceledException as error:
            raise Conflict("the review changed meanwhile; read it and try again", field="review") from error

    def _summary_update(self, store_id: str, product: str, change: SummaryChange) -> dict[str, Any]:
        partition = _partition(store_id, product)
        return {
            "TableName": self.table,
            "Key": {"pk": {"S": partition}, "sk": {"S": SUMMARY}},
            "UpdateExpression": "SET product_reviews_pk = :p, product_reviews_sk = :s, #type = :type "
            "ADD review_count :count, rating_sum :total",
            "ExpressionAttributeNames": {"#type": "type"},
            "ExpressionAttributeValues": {
                ":p": {"S": partition},
                ":s": {"S": SUMMARY},
                ":type": {"S": "review_summary"},
                ":count": {"N": str(change.count)},
                ":total": {"N": str(change.total)},
            },
        }

    def _key(self, store_id: str, product: str, key: str) -> dict[str, Any]:
        return {"pk": {"S": _partition(store_id, product)}, "sk": {"S": _REVIEW + key}}
