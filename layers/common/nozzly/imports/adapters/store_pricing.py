"""A store's markup rules for imported products: the `markup` of its research settings section (stores table,
`SETTINGS#research`, written by the research settings route), or DEFAULT_RULES while it saved none.

Read here by the section's name rather than through the research capability, which builds on imports: the
rules are one shape (imports/domain/pricing.rules_from_data) whichever side reads them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from nozzly.imports.domain.pricing import PricingRules, rules_from_data
from nozzly.stores.adapters.settings_sections import SettingsSectionsRepository

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

SECTION: Final = "research"


class StorePricing:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._sections = SettingsSectionsRepository(table, dynamodb)

    def rules(self, store_id: str) -> PricingRules:
        saved = self._sections.get(store_id, SECTION)
        return rules_from_data((saved.data if saved else {}).get("markup"))
