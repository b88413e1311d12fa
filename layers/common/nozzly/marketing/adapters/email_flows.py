"""A store's email flows in the stores table: the `SETTINGS#email_flows` settings item (versioned, with its
immutable log), written and read through the settings sections' adapter so it shares their key design.

`data.flows` maps a flow's key to the fields the store saved (enabled, delay, subject, intro); a flow or field
never saved reads its default (marketing/domain/flows.py).

Per-flow counters: `pk={store}, sk=FLOW_COUNTS`, one number per flow key (emails sent), ADD only. A count is
added after its email went out, so a crash between the two loses one count (never counts one twice). The same
item holds `clicked#{flow}` and `converted#{flow}` (written by flow_links.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item
from nozzly.kernel.adapters.unit_of_work import Write
from nozzly.marketing.domain.flow_stats import FlowCounts
from nozzly.marketing.domain.flows import FLOWS, SECTION, FlowSetting, every
from nozzly.stores.adapters.settings_sections import SettingsSectionsRepository
from nozzly.stores.domain.store_settings import NEVER_SAVED, SectionState

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient


def _saved_flows(state: SectionState | None) -> dict[str, Any]:
    return dict((state.data if state else {}).get("flows") or {})


COUNTS_SK = "FLOW_COUNTS"


class EmailFlowsRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._sections = SettingsSectionsRepository(table, dynamodb)
        self._dynamodb = dynamodb
        self.table = table

    def count_sent(self, store_id: str, key: str) -> None:
        """One more email of flow `key` sent (an UpdateItem ADD: concurrent senders never lose a count)."""
        dynamodb_client(self._dynamodb).update_item(
            TableName=self.table,
            Key={"pk": {"S": store_id}, "sk": {"S": COUNTS_SK}},
            UpdateExpression="ADD #flow :one",
            ExpressionAttributeNames={"#flow": key},
            ExpressionAttributeValues={":one": {"N": "1"}},
        )

    def sent_counts(self, store_id: str) -> dict[str, int]:
        """Emails sent per flow key (0 for a flow that never sent one)."""
        return {key: c.sent for key, c in self.counts(store_id).items()}

    def counts(self, store_id: str) -> dict[str, FlowCounts]:
        """Every flow's counters (one GetItem; 0 for what never happened, opens unmeasured)."""
        item = (
            dynamodb_client(self._dynamodb)
            .get_item(TableName=self.table, Key={"pk": {"S": store_id}, "sk": {"S": COUNTS_SK}})
            .get("Item")
        )
        d = from_item(item) if item else {}
        return {
            k: FlowCounts(int(d.get(k, 0)), int(d.get(f"clicked#{k}", 0)), int(d.get(f"converted#{k}", 0)))
            for k in FLOWS
        }

    def state(self, store_id: str) -> SectionState:
        """The section as saved (consistent read), or version 0 with no flows saved."""
        return self._sections.get(store_id, SECTION) or SectionState(SECTION, NEVER_SAVED, {})

    def flows(self, store_id: str) -> dict[str, FlowSetting]:
        """Every flow as the store has it, by key (one GetItem): what a sender reads."""
        return {f.key: f for f in every(_saved_flows(self._sections.get(store_id, SECTION)))}

    def save_ops(self, store_id: str, after: SectionState) -> tuple[Write, Write]:
        """The section's Put conditioned on the version read, and its log entry (a unit of work's parts)."""
        return self._sections.save_ops(store_id, after)


def saved_flows(state: SectionState) -> dict[str, Any]:
    return _saved_flows(state)
