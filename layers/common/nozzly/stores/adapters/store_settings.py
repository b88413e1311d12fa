"""A store's settings items in the stores table: tax and shipping rules, order-number sequence, email."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.batch import Read
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.stores.domain.rules_fields import SHIPPING_SECTION, TAX_SECTION, shipping_from_data, tax_from_data
from nozzly.stores.domain.shipping_rules import ShippingSettings
from nozzly.stores.domain.store_defaults import StoreDefaults
from nozzly.stores.domain.tax_rules import TaxSettings

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

ORDER_SEQUENCE_SK = "SEQUENCE#order"
EMAIL_SK = "SETTINGS#email"


def _key(store_id: str, sk: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": sk}}


class StoreSettingsRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def tax_rules_read(self, store_id: str) -> Read[TaxSettings]:
        """The store's tax rules; None until an operator saved them (the store's defaults apply)."""
        return Read(self.table, _key(store_id, f"SETTINGS#{TAX_SECTION}"), lambda item: tax_from_data(item["data"]))

    def shipping_rules_read(self, store_id: str) -> Read[ShippingSettings]:
        """The store's shipping rules; None until an operator saved them (the store's defaults apply)."""
        return Read(
            self.table, _key(store_id, f"SETTINGS#{SHIPPING_SECTION}"), lambda item: shipping_from_data(item["data"])
        )

    def create_ops(self, store_id: str, defaults: StoreDefaults) -> dict[str, list[dict[str, Any]]]:
        """Transaction items creating the settings, by setting ("sequence", "email"); each
        only if absent, so a second seeding is noticed and says which setting was there."""
        email: dict[str, Any] = {"sk": EMAIL_SK, "type": "email_settings", "sender_name": defaults.email.sender_name}
        if defaults.email.reply_to is not None:
            email["reply_to"] = defaults.email.reply_to
        sequence = {"sk": ORDER_SEQUENCE_SK, "type": "sequence", "next": defaults.first_order_number}
        items = {"sequence": [sequence], "email": [email]}
        return {setting: [self._create(store_id, item) for item in group] for setting, group in items.items()}

    def _create(self, store_id: str, item: dict[str, Any]) -> dict[str, Any]:
        put = {"TableName": self.table, "Item": to_item({"pk": store_id} | item)}
        return {"Put": put | {"ConditionExpression": "attribute_not_exists(pk)"}}

    def next_order_number(self, store_id: str, first: int) -> int:
        """The store's next order number (atomic; a store without a sequence starts at `first`)."""
        response = dynamodb_client(self._dynamodb).update_item(
            TableName=self.table,
            Key={"pk": {"S": store_id}, "sk": {"S": ORDER_SEQUENCE_SK}},
            UpdateExpression="SET #next = if_not_exists(#next, :first) + :one",
            ExpressionAttributeNames={"#next": "next"},
            ExpressionAttributeValues={":first": {"N": str(first)}, ":one": {"N": "1"}},
            ReturnValues="UPDATED_NEW",
        )
        return int(response["Attributes"]["next"]["N"]) - 1

    def ensure_defaults(self, store_id: str, defaults: StoreDefaults) -> int:
        """Write each setting the store lacks, keep those it has (an imported store's re-import changes nothing
        an operator set). How many were written."""
        dynamodb = dynamodb_client(self._dynamodb)
        written = 0
        for op in (op for group in self.create_ops(store_id, defaults).values() for op in group):
            try:
                dynamodb.put_item(**op["Put"])
                written += 1
            except dynamodb.exceptions.ConditionalCheckFailedException:
                continue
        return written

    def email_settings(self, store_id: str) -> dict[str, Any] | None:
        """The store's email settings as stored (sender_name, reply_to, ...); None if it has none."""
        response = dynamodb_client(self._dynamodb).get_item(TableName=self.table, Key=_key(store_id, EMAIL_SK))
        return from_item(response["Item"]) if "Item" in response else None
