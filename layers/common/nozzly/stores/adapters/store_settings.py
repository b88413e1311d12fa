"""A store's settings items in the stores table: tax rate, shipping methods, order-number sequence, and the one
read every email makes of the store's branding (the `branding` and `general` sections, or the `SETTINGS#email`
item of a store provisioned before sections existed)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import client, dynamodb_client
from nozzly.kernel.adapters.batch import Read, read_together
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.kernel.domain.money import Money
from nozzly.stores.adapters.settings_sections import SettingsSectionsRepository
from nozzly.stores.domain import branding_settings, general_settings
from nozzly.stores.domain.email_branding import email_settings
from nozzly.stores.domain.store_defaults import ShippingMethod, StoreDefaults
from nozzly.stores.domain.store_settings import SectionContext, first_sections

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

ORDER_SEQUENCE_SK = "SEQUENCE#order"
EMAIL_SK = "SETTINGS#email"  # legacy: stores provisioned before the branding section; read, never written
# A signed link is the only way into the private bucket; SigV4 allows at most 7 days (and a role's temporary
# credentials end sooner), so an email opened after that shows the store's name instead of its logo.
LOGO_URL_SECONDS = 7 * 24 * 3600


def tax_sk(country: str) -> str:
    return f"TAX#{country}"


def shipping_sk(method_id: str) -> str:
    return f"SHIPPING#{method_id}"


def _key(store_id: str, sk: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": sk}}


def _shipping_method(data: dict[str, Any]) -> ShippingMethod:
    return ShippingMethod(
        method_id=data["method_id"],
        name=data["name"],
        price=Money(int(data["price"]["amount"]), data["price"]["currency"]),
        days_min=int(data["days_min"]),
        days_max=int(data["days_max"]),
    )


class StoreSettingsRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None, images_bucket: str | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table
        self.images_bucket = images_bucket  # where logos are; None: emails show no logo

    def tax_read(self, store_id: str, country: str) -> Read[int]:
        return Read(self.table, _key(store_id, tax_sk(country)), lambda data: int(data["basis_points"]))

    def shipping_read(self, store_id: str, method_id: str) -> Read[ShippingMethod]:
        return Read(self.table, _key(store_id, shipping_sk(method_id)), _shipping_method)

    def create_ops(self, store_id: str, defaults: StoreDefaults) -> dict[str, list[dict[str, Any]]]:
        """Transaction items creating the settings, by setting ("tax", "shipping", "sequence", "settings": every
        section at version 1 with its log entry); each only if absent, so a second seeding is noticed and says
        which setting was there."""
        tax = {
            "sk": tax_sk(defaults.tax_rate.country),
            "type": "tax_rate",
            "country": defaults.tax_rate.country,
            "basis_points": defaults.tax_rate.basis_points,
        }
        shipping = [
            {
                "sk": shipping_sk(m.method_id),
                "type": "shipping_method",
                "method_id": m.method_id,
                "name": m.name,
                "price": {"amount": m.price.amount, "currency": m.price.currency},
                "days_min": m.days_min,
                "days_max": m.days_max,
            }
            for m in defaults.shipping
        ]
        sequence = {"sk": ORDER_SEQUENCE_SK, "type": "sequence", "next": defaults.first_order_number}
        items = {"tax": [tax], "shipping": shipping, "sequence": [sequence]}
        created = {setting: [self._create(store_id, item) for item in group] for setting, group in items.items()}
        sections = SettingsSectionsRepository(self.table, self._dynamodb)
        at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        states = first_sections(SectionContext(store_id, defaults.store_name), at)
        return created | {"settings": [op for state in states for op in sections.save_ops(store_id, state)]}

    def _create(self, store_id: str, item: dict[str, Any]) -> dict[str, Any]:
        put = {"TableName": self.table, "Item": to_item({"pk": store_id} | item)}
        return {"Put": put | {"ConditionExpression": "attribute_not_exists(pk)"}}

    def tax_basis_points(self, store_id: str, country: str) -> int | None:
        """The store's tax rate for a destination country; None if the store has none for it."""
        response = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table, Key={"pk": {"S": store_id}, "sk": {"S": tax_sk(country)}}
        )
        return int(response["Item"]["basis_points"]["N"]) if "Item" in response else None

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

    def shipping_method(self, store_id: str, method_id: str) -> ShippingMethod | None:
        response = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table, Key={"pk": {"S": store_id}, "sk": {"S": shipping_sk(method_id)}}
        )
        if "Item" not in response:
            return None
        data = from_item(response["Item"])
        return ShippingMethod(
            method_id=data["method_id"],
            name=data["name"],
            price=Money(int(data["price"]["amount"]), data["price"]["currency"]),
            days_min=int(data["days_min"]),
            days_max=int(data["days_max"]),
        )

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
        """What every email shows of the store (sender_name, reply_to, brand_colour, logo_url, storefront_url,
        support_email, support_phone, order_number_prefix): one BatchGetItem of the branding and general
        sections and the legacy email item. None if the store has none of them."""
        sections = SettingsSectionsRepository(self.table, self._dynamodb)
        branding, general, legacy = read_together(
            [
                sections.read(store_id, branding_settings.SECTION),
                sections.read(store_id, general_settings.SECTION),
                Read(self.table, _key(store_id, EMAIL_SK), lambda data: data),
            ]
        )
        found = email_settings(branding, general, legacy)
        if found is not None and found.get("logo"):
            found["logo_url"] = self._logo_url(str(found["logo"]))
        return found

    def order_number_prefix(self, store_id: str) -> str:
        """What order numbers are shown with (general settings); "" for a store without one."""
        section = SettingsSectionsRepository(self.table, self._dynamodb).get(store_id, general_settings.SECTION)
        return str(section.data.get("order_number_prefix") or "") if section else ""

    def _logo_url(self, key: str) -> str | None:
        if self.images_bucket is None:
            return None
        url: str = client("s3").generate_presigned_url(
            "get_object", Params={"Bucket": self.images_bucket, "Key": key}, ExpiresIn=LOGO_URL_SECONDS
        )
        return url
