"""Operators' store administration bodies and the provisioning workflow's task payloads."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from nozzly.catalog.domain.catalog import Store, StoreStatus
from nozzly.kernel.contracts.money import CurrencyCode
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.stores.domain.permissions import Membership, permissions_of

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
ProvisioningStatus = Literal["PENDING", "SEEDING", "READY", "FAILED"]
Name = Annotated[str, Field(min_length=1, max_length=120)]
Niche = Annotated[str, Field(max_length=80)]
Description = Annotated[str, Field(max_length=2000)]


class OpenStoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")  # an `id` or `owner` in the body is refused, never used

    name: Name = Field(description="The store's id is made from it: a slug, unique across Nozzly.")
    niche: Niche = Field(default="", description="Picks the starter categories, e.g. fashion, books.")
    description: Description = ""
    currency: CurrencyCode = Field(description="ISO 4217; immutable once the store is opened.")
    country: str = Field(description="ISO 3166-1 alpha-2, upper case; picks the starting tax rate.")

    @field_validator("country")
    @classmethod
    def _alpha2(cls, value: str) -> str:
        if len(value) != 2 or not ("A" <= value[0] <= "Z" and "A" <= value[1] <= "Z"):
            raise ValueError("must be an ISO 3166-1 alpha-2 code in upper case, e.g. DE")
        return value


class UpdateStoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")  # id, currency and country cannot change

    name: Name | None = None
    niche: Niche | None = None
    description: Description | None = None

    def changes(self) -> dict[str, str]:
        return {k: v for k, v in self.model_dump().items() if v is not None}


def provisioning_status(status: StoreStatus) -> ProvisioningStatus:
    # An imported store (the demo) never went through provisioning: it is as ready as a provisioned one.
    return "READY" if status is StoreStatus.ACTIVE else status.value.upper()  # type: ignore[return-value]


class OpenedOut(BaseModel):
    id: str
    status: ProvisioningStatus
    provisioning_url: str = Field(description="Poll it until status is READY or FAILED.")


class ProvisioningOut(BaseModel):
    status: ProvisioningStatus
    progress: int = Field(ge=0, le=100)
    error: str | None = Field(description="Why provisioning failed, for the owner to read; null otherwise.")


class StoreAdminOut(BaseModel):
    id: str
    name: str
    niche: str
    description: str
    currency: str
    country: str
    status: ProvisioningStatus
    role: str = Field(description="The caller's role in the store.")
    permissions: list[str] = Field(
        description="What the caller's role allows here (the permission matrix), e.g. `refunds.create`; an app "
        "shows only these actions, and the API enforces them anyway."
    )


class MyStoreOut(BaseModel):
    id: str
    name: str
    role: str


class MyStores(BaseModel):
    items: list[MyStoreOut]


def provisioning_out(store: Store) -> ProvisioningOut:
    return ProvisioningOut(status=provisioning_status(store.status), progress=store.progress, error=store.error)


def store_admin_out(store: Store, member: Membership) -> StoreAdminOut:
    return StoreAdminOut(
        id=store.store_id,
        name=store.name,
        niche=store.niche,
        description=store.description,
        currency=store.currency,
        country=store.country,
        status=provisioning_status(store.status),
        role=member.role.value,
        permissions=permissions_of(member.role),
    )


# ---- the provisioning workflow's task payloads
class ProvisioningStep(BaseModel):
    step: Literal["seeding", "seed", "fail"]
    store_id: Slug
    error: dict[str, Any] | None = Field(default=None, description="The Catch output (Error, Cause) on `fail`.")


class ProvisioningStepOut(BaseModel):
    """The store's provisioning status after the step (each ResultSelector keeps `status`)."""

    model_config = ConfigDict(extra="forbid")

    store_id: str
    status: str


class WorkflowInput(BaseModel):
    """What StoreAdmin starts the state machine with."""

    store_id: Slug
    owner: str
    correlation_id: str = Field(min_length=1, description="The id the logs of the work that started this share.")
