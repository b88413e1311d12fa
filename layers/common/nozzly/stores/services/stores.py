"""Operators' store administration: open a store (then provisioned by a workflow), list, read, update, delete."""

from __future__ import annotations

from dataclasses import dataclass, replace

from nozzly.billing.services.plan_guard import PLAN_PART, PlanGuard
from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.catalog.domain.catalog import Store, StoreStatus
from nozzly.kernel.adapters.unit_of_work import Transaction, WriteConflict
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.kernel.domain.slugs import numbered_slugs, slugify
from nozzly.observability import logger
from nozzly.stores.adapters.provisioning import ProvisioningWorkflow
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.adapters.stores import StoresRepository
from nozzly.stores.domain.permissions import Action, Membership, Role
from nozzly.stores.services.tenancy import require

PLAN_RACES = 4  # another store of the account opened or closed meanwhile: count again
MAX_ID_ATTEMPTS = 20  # name, name-2 ... name-20; past that the operator should pick a more distinctive name
START_FAILED = "Setting up the store could not start. Nothing was created; please open the store again."


@dataclass(frozen=True, slots=True)
class NewStore:
    name: str
    niche: str
    description: str
    currency: str
    country: str


@dataclass(frozen=True, slots=True)
class StoreAdmin:
    stores: StoresRepository
    members: MembersRepository
    catalog: CatalogRepository
    workflow: ProvisioningWorkflow
    plan: PlanGuard

    def open(self, owner: str, new: NewStore) -> Store:
        """Reserve a unique id with the owner's membership (one transaction), then start provisioning."""
        base = slugify(new.name)
        if not base:
            raise InvalidInput("the name needs at least one letter or digit", field="name")
        store = self._reserve(owner, new, base)
        try:
            self.workflow.start(store.store_id, owner)
        except Exception:
            # A store stuck in PENDING would never change: tell the owner instead.
            self.stores.move_progress(
                store.store_id, StoreStatus.FAILED, 0, expected=(StoreStatus.PENDING,), error=START_FAILED
            )
            raise
        return store

    def _reserve(self, owner: str, new: NewStore, base: str) -> Store:
        """The profile, the owner's membership and the plan's store slot in one transaction: a taken id tries the
        next one, a full plan is a 402, a concurrent open or delete of another of the owner's stores counts again."""
        ids = iter(numbered_slugs(base, MAX_ID_ATTEMPTS))
        store_id, races = next(ids, None), 0
        while store_id is not None:
            store = Store(
                store_id=store_id,
                name=new.name,
                currency=new.currency,
                country=new.country,
                niche=new.niche,
                description=new.description,
                status=StoreStatus.PENDING,
                progress=0,
                owner=owner,
            )
            member = Membership(store_id=store_id, sub=owner, role=Role.OWNER, store_name=new.name)
            tx = Transaction().add("profile", self.stores.reserve_op(store)).add("owner", self.members.add_op(member))
            tx.add(PLAN_PART, *self.plan.store_opening(owner, lambda: self._owned(owner)))
            try:
                tx.commit()
            except WriteConflict as taken:
                if "profile" in taken.failed:
                    logger.info("store id taken, trying the next", extra={"store_id": store_id})
                    store_id = next(ids, None)
                    continue
                if PLAN_PART in taken.failed and races < PLAN_RACES:
                    races += 1
                    continue
                raise  # the id was free and the plan had room: something else conflicted, not a naming problem
            return store
        raise Conflict(f"too many stores are called {new.name!r}; choose a more distinctive name", field="name")

    def _owned(self, operator: str) -> int:
        return sum(1 for m in self.members.of_operator(operator) if m.role is Role.OWNER)

    def mine(self, operator: str) -> list[Membership]:
        return sorted(self.members.of_operator(operator), key=lambda m: m.store_id)

    def get(self, store_id: str, operator: str) -> tuple[Store, Membership]:
        member = require(self.members, store_id, operator, Action.STORE_READ)
        return self._store(store_id), member

    def update(self, store_id: str, operator: str, changes: dict[str, str]) -> tuple[Store, Membership]:
        member = require(self.members, store_id, operator, Action.STORE_UPDATE)
        store = self._store(store_id)
        if not changes:
            return store, member
        tx = Transaction().add("profile", self.stores.update_op(store, changes))
        if "name" in changes:  # the operators' store lists show the name without reading each profile
            tx.add("members", *(self.members.renamed_op(m, changes["name"]) for m in self.members.of_store(store_id)))
        tx.commit()  # a concurrent change or deletion cancels it: 409, try again
        return replace(store, **changes), member  # type: ignore[arg-type]

    def delete(self, store_id: str, operator: str) -> None:
        """Soft delete, in one transaction: the profile, the catalog's containers (hide the storefront), memberships.

        A store still provisioning has no catalog yet; its seed transaction then fails on the profile's status.
        """
        require(self.members, store_id, operator, Action.STORE_DELETE)
        store = self._store(store_id)
        tx = Transaction().add("profile", self.stores.update_op(store, {"status": StoreStatus.DELETED.value}))
        tx.add("catalog", *self.catalog.delete_ops(store_id))
        tx.add("members", *(self.members.deleted_op(m) for m in self.members.of_store(store_id)))
        tx.add(PLAN_PART, *self.plan.store_closing(store.owner))  # a deleted store frees its slot on the plan
        tx.commit()

    def _store(self, store_id: str) -> Store:
        store = self.stores.find(store_id)
        if store is None or store.status is StoreStatus.DELETED:
            raise NotFound(f"store {store_id!r} not found", field="store")
        return store
