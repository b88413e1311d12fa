"""An account's Stripe customer (stores table), kept apart from the billing account so that recording it never
races a change of plan or state.

| item | pk | sk | attributes |
|---|---|---|---|
| Stripe customer | `ACCOUNT#{sub}` | `STRIPE_CUSTOMER` | customer (`cus_...`), created_at |

Written once (`attribute_not_exists(pk)`): two first checkouts at once keep the first customer recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

SK = "STRIPE_CUSTOMER"


def _key(account: str) -> dict[str, Any]:
    return {"pk": {"S": f"ACCOUNT#{account}"}, "sk": {"S": SK}}


class StripeCustomersRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def find(self, account: str) -> str | None:
        found = dynamodb_client(self._dynamodb).get_item(TableName=self.table, Key=_key(account), ConsistentRead=True)
        return found["Item"]["customer"]["S"] if "Item" in found else None

    def remember(self, account: str, customer: str, now: int) -> str:
        """The account's customer: this one, or the one another request recorded first."""
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            dynamodb.put_item(
                TableName=self.table,
                Item=_key(account) | {"customer": {"S": customer}, "created_at": {"N": str(now)}},
                ConditionExpression="attribute_not_exists(pk)",
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return self.find(account) or customer
        return customer
