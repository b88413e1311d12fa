"""Blog posts in the content table: `pk={store}`, `sk=POST#{slug}`.

A published post also carries `gsi1pk={store}#PUBLISHED`, `gsi1sk={published_at, 10 digits}#{slug}` (sparse):
the storefront's list is one Query on gsi1, newest first, ending at now (a post dated later is not listed
yet). The weekly drafter's claim of a week is `sk=DRAFTWEEK#{YYYY-Www}`, put with the draft in one
transaction, so a store gets one AI draft per week however often the schedule runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nozzly.blog.domain.posts import BlogPost, PostStatus
from nozzly.kernel.adapters import cursor
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.kernel.adapters.unit_of_work import Write

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

POST = "POST#"
PUBLISHED_INDEX = "gsi1"
_FIELDS = (
    "slug",
    "title",
    "body_markdown",
    "cover_image",
    "seo_title",
    "seo_description",
    "published_at",
    "created_at",
    "updated_at",
    "version",
    "author",
    "keyword",
)


def _key(store_id: str, sk: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": sk}}


def _to_data(post: BlogPost) -> dict[str, Any]:
    data: dict[str, Any] = {"pk": post.store_id, "sk": f"{POST}{post.slug}", "type": "post", "status": post.status}
    data |= {name: getattr(post, name) for name in _FIELDS}
    if post.status is PostStatus.PUBLISHED and post.published_at > 0:
        data["gsi1pk"] = f"{post.store_id}#PUBLISHED"
        data["gsi1sk"] = f"{post.published_at:010d}#{post.slug}"
    return data


def _from_item(item: dict[str, Any]) -> BlogPost:
    d = from_item(item)
    return BlogPost(store_id=d["pk"], status=PostStatus(d["status"]), **{n: d[n] for n in _FIELDS if n in d})


@dataclass(frozen=True)
class PostsRepository:
    table: str
    client: DynamoDBClient | None = None

    def get(self, store_id: str, slug: str, *, consistent: bool = True) -> BlogPost | None:
        item = (
            dynamodb_client(self.client)
            .get_item(TableName=self.table, Key=_key(store_id, f"{POST}{slug}"), ConsistentRead=consistent)
            .get("Item")
        )
        return _from_item(item) if item else None

    def page(self, store_id: str, limit: int, after: str | None) -> tuple[list[BlogPost], str | None]:
        """Operators' list: every post by slug, `limit` per page."""
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :post)",
            "ExpressionAttributeValues": {":pk": {"S": store_id}, ":post": {"S": POST}},
            "Limit": limit,
        }
        if after:
            kwargs["ExclusiveStartKey"] = cursor.decode(
                after, key_attrs={"pk", "sk"}, partition_attr="pk", partition_value=store_id
            )
        response = dynamodb_client(self.client).query(**kwargs)
        return [_from_item(i) for i in response["Items"]], cursor.encode(response.get("LastEvaluatedKey"))

    def all_of(self, store_id: str) -> list[BlogPost]:
        """Every post of a store (background jobs: the drafter's covered keywords, the SEO report)."""
        pages = (
            dynamodb_client(self.client)
            .get_paginator("query")
            .paginate(
                TableName=self.table,
                KeyConditionExpression="pk = :pk AND begins_with(sk, :post)",
                ExpressionAttributeValues={":pk": {"S": store_id}, ":post": {"S": POST}},
            )
        )
        return [_from_item(i) for page in pages for i in page.get("Items", [])]

    def published(self, store_id: str, now: int, limit: int, after: str | None) -> tuple[list[BlogPost], str | None]:
        """The storefront's list: published posts dated up to now, newest first; one Query per page."""
        partition = f"{store_id}#PUBLISHED"
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": PUBLISHED_INDEX,
            "KeyConditionExpression": "gsi1pk = :p AND gsi1sk < :until",
            "ExpressionAttributeValues": {":p": {"S": partition}, ":until": {"S": f"{now:010d}$"}},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if after:
            kwargs["ExclusiveStartKey"] = cursor.decode(
                after, key_attrs={"pk", "sk", "gsi1pk", "gsi1sk"}, partition_attr="gsi1pk", partition_value=partition
            )
        response = dynamodb_client(self.client).query(**kwargs)
        posts = [_from_item(i) for i in response["Items"]]
        return posts, cursor.encode(response.get("LastEvaluatedKey")) if len(posts) == limit else None

    def created_op(self, post: BlogPost) -> Write:
        """A new post; fails (part "post") when the slug is taken in the store."""
        item = to_item(_to_data(post))
        return {"Put": {"TableName": self.table, "Item": item, "ConditionExpression": "attribute_not_exists(pk)"}}

    def replaced_ops(self, before: BlogPost, after: BlogPost) -> list[Write]:
        """The post's new state, conditioned on the version read; a new slug moves the item (the old key's
        Delete on the version, the new key's Put on it being free)."""
        read = {":v": {"N": str(before.version)}}
        if before.slug == after.slug:
            item = to_item(_to_data(after))
            put: Write = {
                "Put": {
                    "TableName": self.table,
                    "Item": item,
                    "ConditionExpression": "version = :v",
                    "ExpressionAttributeValues": read,
                }
            }
            return [put]
        gone: Write = {
            "Delete": {
                "TableName": self.table,
                "Key": _key(before.store_id, f"{POST}{before.slug}"),
                "ConditionExpression": "version = :v",
                "ExpressionAttributeValues": read,
            }
        }
        return [gone, self.created_op(after)]

    def deleted_op(self, post: BlogPost) -> Write:
        return {
            "Delete": {
                "TableName": self.table,
                "Key": _key(post.store_id, f"{POST}{post.slug}"),
                "ConditionExpression": "version = :v",
                "ExpressionAttributeValues": {":v": {"N": str(post.version)}},
            }
        }

    def week_claim_op(self, store_id: str, week: str, slug: str, now: int) -> Write:
        """The store's AI draft of `week`: at most one, ever (part "week")."""
        item = to_item({"pk": store_id, "sk": f"DRAFTWEEK#{week}", "type": "draft_week", "slug": slug, "at": now})
        return {"Put": {"TableName": self.table, "Item": item, "ConditionExpression": "attribute_not_exists(pk)"}}

    def week_claimed(self, store_id: str, week: str) -> bool:
        found = dynamodb_client(self.client).get_item(
            TableName=self.table, Key=_key(store_id, f"DRAFTWEEK#{week}"), ProjectionExpression="pk"
        )
        return "Item" in found
