"""Tracked links and clicks of the flows' emails in the stores table (next to the flows' counters).

- `pk={store}, sk=FLOWLINK#{nonce}`: one email's tracked link (flow, url, email, expires_at, clicked_at once
  clicked). The redirect reads it with a GetItem; an expired one is answered as unknown (no TTL on this table:
  the items are small and stay as the record of what was sent).
- `pk={store}, sk=FLOWCLICK#{email}`: the address's latest click (flow, clicked_at, converted_by once an order
  was credited to it).
- The counters live on `FLOW_COUNTS` (email_flows.py): `clicked#{flow}` and `converted#{flow}`, ADD only.

A first click is one TransactWriteItems: the link's `clicked_at` (condition: not clicked yet), the address's
click and the counter's ADD, so a second click of the same email, or two at once, count once. A conversion is
one too: `converted_by` on the click (condition: none yet, and still the click read) and the counter's ADD, so a
redelivered OrderPlaced never counts twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.marketing.domain.flow_stats import Click, TrackedLink

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient
    from types_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

LINK = "FLOWLINK#"
CLICK = "FLOWCLICK#"
COUNTS_SK = "FLOW_COUNTS"


def _key(store_id: str, sk: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": sk}}


def _add(table: str, store_id: str, counter: str) -> TransactWriteItemTypeDef:
    return {
        "Update": {
            "TableName": table,
            "Key": _key(store_id, COUNTS_SK),
            "UpdateExpression": "ADD #counter :one",
            "ExpressionAttributeNames": {"#counter": counter},
            "ExpressionAttributeValues": {":one": {"N": "1"}},
        }
    }


class FlowLinks:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def put(self, link: TrackedLink) -> TrackedLink:
        item: dict[str, Any] = {
            "pk": link.store_id,
            "sk": f"{LINK}{link.nonce}",
            "type": "flow_link",
            "flow": link.flow,
        }
        item |= {"url": link.url}
        item |= {"email": link.email, "expires_at": link.expires_at}
        dynamodb_client(self._dynamodb).put_item(TableName=self.table, Item=to_item(item))
        return link

    def get(self, store_id: str, nonce: str, now: float) -> TrackedLink | None:
        found = dynamodb_client(self._dynamodb).get_item(TableName=self.table, Key=_key(store_id, f"{LINK}{nonce}"))
        if "Item" not in found:
            return None
        d = from_item(found["Item"])
        if int(d["expires_at"]) <= now:
            return None
        return TrackedLink(store_id, nonce, str(d["flow"]), str(d["url"]), str(d["email"]), int(d["expires_at"]))

    def first_click(self, link: TrackedLink, now: float) -> bool:
        """Count this email's first click and remember it as the address's latest; False: clicked before."""
        dynamodb = dynamodb_client(self._dynamodb)
        click: dict[str, Any] = {
            "pk": link.store_id,
            "sk": f"{CLICK}{link.email}",
            "type": "flow_click",
            "flow": link.flow,
        }
        click |= {"email": link.email, "clicked_at": int(now)}
        try:
            dynamodb.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": self.table,
                            "Key": _key(link.store_id, f"{LINK}{link.nonce}"),
                            "UpdateExpression": "SET clicked_at = :now",
                            "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(clicked_at)",
                            "ExpressionAttributeValues": {":now": {"N": str(int(now))}},
                        }
                    },
                    {"Put": {"TableName": self.table, "Item": to_item(click)}},
                    _add(self.table, link.store_id, f"clicked#{link.flow}"),
                ]
            )
        except dynamodb.exceptions.TransactionCanceledException:
            return False
        return True

    def latest_click(self, store_id: str, email: str) -> Click | None:
        key = _key(store_id, f"{CLICK}{email.lower()}")
        found = dynamodb_client(self._dynamodb).get_item(TableName=self.table, Key=key, ConsistentRead=True)
        if "Item" not in found:
            return None
        d = from_item(found["Item"])
        by = d.get("converted_by")
        return Click(store_id, str(d["email"]), str(d["flow"]), int(d["clicked_at"]), str(by) if by else None)

    def convert(self, click: Click, order_id: str) -> bool:
        """Credit `order_id` to the click; False when it was credited already (to this or another order) or the
        address clicked again meanwhile (that newer click may earn its own)."""
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            dynamodb.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": self.table,
                            "Key": _key(click.store_id, f"{CLICK}{click.email}"),
                            "UpdateExpression": "SET converted_by = :order",
                            "ConditionExpression": "attribute_not_exists(converted_by) AND clicked_at = :at",
                            "ExpressionAttributeValues": {
                                ":order": {"S": order_id},
                                ":at": {"N": str(click.clicked_at)},
                            },
                        }
                    },
                    _add(self.table, click.store_id, f"converted#{click.flow}"),
                ]
            )
        except dynamodb.exceptions.TransactionCanceledException:
            return False
        return True
