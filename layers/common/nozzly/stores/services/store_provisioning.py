"""The store provisioning workflow's steps: mark seeding, seed the defaults (one transaction), mark failed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.catalog.domain.catalog import Store, StoreStatus
from nozzly.kernel.adapters.unit_of_work import Transaction, WriteConflict
from nozzly.stores.adapters.store_settings import StoreSettingsRepository
from nozzly.stores.adapters.stores import StoresRepository
from nozzly.stores.domain.store_defaults import store_defaults

SEEDING_PROGRESS = 50
GENERIC_FAILURE = "An unexpected error stopped the store's setup ({error}). Nothing was created."
# The seed transaction's parts, in words an owner understands (in the order they are written).
_PART_WORDS = {
    "catalog": "the catalog",
    "tax": "the tax rate",
    "shipping": "the shipping methods",
    "sequence": "the order numbers",
    "settings": "the store settings",
    "status": "the store's status",
}


class SeedingFailed(Exception):
    """A failure the owner may read as is: its message becomes the store's provisioning error."""


@dataclass(frozen=True, slots=True)
class Provisioning:
    stores: StoresRepository
    settings: StoreSettingsRepository
    catalog: CatalogRepository

    def mark_seeding(self, store_id: str) -> dict[str, Any]:
        expected = (StoreStatus.PENDING, StoreStatus.SEEDING)  # SEEDING: this step retried
        if not self.stores.move_progress(store_id, StoreStatus.SEEDING, SEEDING_PROGRESS, expected=expected):
            raise SeedingFailed(f"The store is no longer waiting to be set up ({self._status(store_id)}).")
        return {"store_id": store_id, "status": "SEEDING"}

    def seed(self, store_id: str) -> dict[str, Any]:
        """Everything a new store starts with, and READY, in one transaction: all of it or nothing."""
        store = self.stores.find(store_id)
        if store is None:
            raise SeedingFailed("The store no longer exists.")
        if store.status is StoreStatus.READY:  # a retried step whose first attempt succeeded
            return {"store_id": store_id, "status": "READY"}
        defaults = store_defaults(store_id, store.name, store.niche, store.currency, store.country)
        tx = Transaction().add("catalog", *self.catalog.create_ops(store_id, defaults.categories))
        for setting, writes in self.settings.create_ops(store_id, defaults).items():
            tx.add(setting, *writes)
        tx.add("status", self.stores.progress_op(store_id, StoreStatus.READY, 100, expected=(StoreStatus.SEEDING,)))
        try:
            tx.commit()
        except WriteConflict as clash:
            # Our own earlier success (its answer lost, the step retried) looks the same as a real conflict.
            if self._status(store_id) == StoreStatus.READY.value:
                return {"store_id": store_id, "status": "READY"}
            raise SeedingFailed(_conflict_message(clash.failed)) from clash
        return {"store_id": store_id, "status": "READY"}

    def mark_failed(self, store_id: str, error: dict[str, Any] | None) -> dict[str, Any]:
        store = self.stores.find(store_id)
        progress = store.progress if store is not None else 0
        self.stores.move_progress(
            store_id,
            StoreStatus.FAILED,
            progress,
            expected=(StoreStatus.PENDING, StoreStatus.SEEDING),  # never over READY or a deletion
            error=readable_error(error),
        )
        return {"store_id": store_id, "status": "FAILED"}

    def _status(self, store_id: str) -> str:
        store: Store | None = self.stores.find(store_id)
        return store.status.value if store is not None else "gone"


def _conflict_message(failed: frozenset[str]) -> str:
    words = [word for part, word in _PART_WORDS.items() if part in failed]
    words += ["some data"] if failed - _PART_WORDS.keys() else []
    return f"Setting up the store failed: {', '.join(words)} already existed or changed. Nothing was created."


def readable_error(error: dict[str, Any] | None) -> str:
    """The owner's explanation of a Catch output {Error, Cause}; internals (traces, SDK text) stay out."""
    error = error or {}
    kind = str(error.get("Error", "unknown"))
    if kind == SeedingFailed.__name__:
        try:
            message = json.loads(str(error.get("Cause", "")))["errorMessage"]
        except (ValueError, KeyError, TypeError):
            message = None
        if isinstance(message, str) and message:
            return message[:500]
    return GENERIC_FAILURE.format(error=kind)
