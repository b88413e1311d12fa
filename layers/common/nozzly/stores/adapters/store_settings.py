"""A store's settings items in the stores table: tax and shipping rules, order-number sequence, the sections a
new store starts with, and the one read every email makes of the store's branding (the `branding` and `general`
sections, or the `SETTINGS#email` item of a store provisioned before sections existed)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.batch import Read, read_together
from nozzly.kernel.adapters.dynamo import to_item
from nozzly.kernel.adapters.image_urls import ImageUrls
from nozzly.stores.adapters.settings_sections import SettingsSectionsRepository
from nozzly.stores.domain import branding_settings, general_settings
from nozzly.stores.domain.email_branding import email_settings
from nozzly.stores.domain.rules_fields import SHIPPING_SECTION, TAX_SECTION, shipping_from_data, tax_from_data
from nozzly.stores.domain.shipping_rules import ShippingSettings
from nozzly.stores.domain.store_defaults import StoreDefaults
from nozzly.stores.domain.store_settings import SectionContext, first_sections
from nozzly.stores.domain.tax_rules import TaxSettings

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

ORDER_SEQUENCE_SK = "SEQUENCE#order"
EMAIL_SK = "SETTINGS#email"  # legacy: stores provisioned before the branding section; read, never written
# Without the images CDN a signed link is the only way into the private bucket; SigV4 allows at most 7 days (and a
# role's temporary credentials end sooner), so an email opened after that shows the store's name, not its logo.
LOGO_URL_SECONDS = 7 * 24 * 3600


def _key(store_id: str, sk: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": sk}}


class StoreSettingsRepository:
    def __init__(
        self,
        table: str,
        dynamodb: DynamoDBClient | None = None,
        images_bucket: str | None = None,
        images_url: str = "",
    ) -> None:
        self._dynamodb = dynamodb
        self.table = table
        self.images_bucket = images_bucket  # where logos are; None: emails show no logo
        self.images_url = images_url  # the images CDN (kernel image_urls); empty: presigned URLs

    def tax_rules_read(self, store_id: str) -> Read[TaxSettings]:
        """The store's tax rules; None until an operator saved them (the store's defaults apply)."""
        return Read(self.table, _key(store_id, f"SETTINGS#{TAX_SECTION}"), lambda item: tax_from_data(item["data"]))

    def shipping_rules_read(self, store_id: str) -> Read[ShippingSettings]:
        """The store's shipping rules; None until an operator saved them (the store's defaults apply)."""
        return Read(
            self.table, _key(store_id, f"SETTINGS#{SHIPPING_SECTION}"), lambda item: shipping_from_data(item["data"])
        )

    def create_ops(self, store_id: str, defaults: StoreDefaults) -> dict[str, list[dict[str, Any]]]:
        """Transaction items creating the settings, by setting ("sequence", "settings": every section at version 1
        with its log entry); each only if absent, so a second seeding is noticed and says which setting was there."""
        sequence = {"sk": ORDER_SEQUENCE_SK, "type": "sequence", "next": defaults.first_order_number}
        created = {"sequence": [self._create(store_id, sequence)]}
        sections = SettingsSectionsRepository(self.table, self._dynamodb)
        at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        states = first_sections(SectionContext(store_id, defaults.store_name, defaults.country, defaults.currency), at)
        return created | {"settings": [op for state in states for op in sections.save_ops(store_id, state)]}

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

    def timezone(self, store_id: str) -> str:
        """The IANA zone the store's days, reports and "today" are in (general settings); UTC if never set."""
        section = SettingsSectionsRepository(self.table, self._dynamodb).get(store_id, general_settings.SECTION)
        return str(section.data.get("timezone") or "UTC") if section else "UTC"

    def _logo_url(self, key: str) -> str | None:
        if self.images_bucket is None:
            return None
        return ImageUrls(self.images_bucket, self.images_url, LOGO_URL_SECONDS).url(key)
