"""One email flow of any store, as a sender outside marketing's callers sees it: its words and its sent count.

For senders that cannot name marketing's types (the account flows take it as their WelcomeFlow port): one
GetItem of the store's flows per email, one ADD after it went out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nozzly.marketing.adapters.email_flows import EmailFlowsRepository
from nozzly.marketing.domain.flows import flow


@dataclass(frozen=True)
class StoreFlow:
    flows: EmailFlowsRepository
    key: str

    def __post_init__(self) -> None:
        flow(self.key)  # an unknown flow is a wiring mistake: fail at build, not at the first email

    def words(self, store_id: str, values: Mapping[str, str]) -> tuple[str, str] | None:
        """(subject, intro) filled with `values`; None: the store turned the flow off."""
        return self.flows.flows(store_id)[self.key].words(values)

    def sent(self, store_id: str) -> None:
        self.flows.count_sent(store_id, self.key)
