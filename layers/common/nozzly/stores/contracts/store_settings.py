"""Store settings bodies and answers, one typed pair per section (the OpenAPI document shows each).

A section's PUT body is its fields plus the `version` the operator read; it replaces the whole section (an
optional field left out is cleared). The answer is the section with its new version, who changed it and when.
Values are judged and normalised by the domain (stores/domain/*_settings.py), so these models only type them.

Adding a section: its Fields / In / Out models and one `SectionContract` in CONTRACTS (the handler makes its
routes from it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, create_model

from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.stores.domain import branding_settings as branding
from nozzly.stores.domain import general_settings as general
from nozzly.stores.domain.rules_fields import SHIPPING_SECTION, TAX_SECTION
from nozzly.stores.domain.store_settings import SectionState

Version = Annotated[
    StrictInt,
    Field(ge=0, le=10**9, description="The version read (0 for a section never saved); a stale one is 409."),
]
_CLOSED = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently ignored
UrlOf = Callable[[str], str]  # an object key's (signed) URL


class SectionMeta(BaseModel):
    version: int = Field(description="Send it back with a change; 0 until the section is first saved.")
    updated_by: str | None = Field(description="The operator (sub) who saved this version; null for defaults.")
    updated_at: str | None = Field(description="When this version was saved (ISO-8601 UTC); null for defaults.")


class GeneralFields(BaseModel):
    display_name: str = Field(max_length=200, examples=["Lantern & Loom"])
    contact_email: str | None = Field(default=None, max_length=320, examples=["hello@lantern.example"])
    support_phone: str | None = Field(
        default=None, max_length=40, description="E.164 (spaces and dashes are dropped).", examples=["+4930123456"]
    )
    storefront_url: str | None = Field(
        default=None,
        max_length=general.MAX_URL,
        description="https (http only for localhost); every email link starts with it.",
        examples=["https://shop.lantern.example"],
    )
    default_language: str = Field(
        default="en", max_length=20, description="BCP-47", json_schema_extra={"enum": list(general.SUPPORTED_LANGUAGES)}
    )
    timezone: str = Field(default="UTC", max_length=64, description="IANA name.", examples=["Europe/Berlin"])
    weight_unit: Literal["g", "kg", "lb", "oz"] = "kg"
    order_number_prefix: str = Field(
        default="",
        max_length=40,
        description=f"Up to {general.MAX_PREFIX} of A-Z, 0-9 and '-', shown before order numbers (upper-cased).",
        examples=["LL-"],
    )
    daily_summary: StrictBool = Field(
        default=False,
        description="Email the store's owner yesterday's sales every morning (from 07:00 in `timezone`).",
    )
    legal_name: str | None = Field(
        default=None, max_length=200, description="The seller on invoices; null: the display name."
    )
    legal_address: str | None = Field(
        default=None, max_length=1000, description="The seller's address on invoices, one line per line."
    )
    tax_id: str | None = Field(default=None, max_length=80, description="VAT or tax number printed on invoices.")
    invoice_prefix: str = Field(
        default="",
        max_length=40,
        description=f"Up to {general.MAX_PREFIX} of A-Z, 0-9 and '-', before invoice numbers (INV-2026-00001).",
        examples=["INV-"],
    )


class GeneralSettingsIn(GeneralFields):
    model_config = _CLOSED
    version: Version


class GeneralSettingsOut(GeneralFields, SectionMeta):
    pass


class BrandingFields(BaseModel):
    sender_name: str = Field(max_length=200, description="The name emails come from.", examples=["Lantern & Loom"])
    reply_to: str | None = Field(default=None, max_length=320, examples=["care@lantern.example"])
    brand_colour: str = Field(
        default=branding.DEFAULT_COLOUR, max_length=20, description="#rrggbb", examples=["#1a2b3c"]
    )
    logo: str | None = Field(
        default=None,
        max_length=300,
        description="The `logo` a logo upload link answered (POST .../settings/branding/logo); null: no logo.",
    )


class BrandingSettingsIn(BrandingFields):
    model_config = _CLOSED
    version: Version


class BrandingSettingsOut(BrandingFields, SectionMeta):
    logo_url: str | None = Field(description="A signed link to see the logo (expires); null without a logo.")


class LogoUploadIn(BaseModel):
    model_config = _CLOSED
    content_type: Literal["image/png", "image/jpeg", "image/webp", "image/gif"]


class LogoUploadOut(BaseModel):
    url: str = Field(description="POST a multipart form here: every field below, then the file as `file`.")
    fields: dict[str, str]
    max_bytes: int
    expires_at: int = Field(description="Epoch seconds when the link stops working.")
    logo: str = Field(description="Put this in the branding section's `logo` once the upload succeeded.")


Country = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2.", examples=["DE"])]
Region = Annotated[str, Field(min_length=1, max_length=40, description="A state or province code.", examples=["CA"])]
PostalPrefix = Annotated[str, Field(min_length=1, max_length=20, examples=["900"])]
BasisPoints = Annotated[StrictInt, Field(ge=0, le=10_000, description="1900 = 19 %.")]
Minor = Annotated[StrictInt, Field(ge=0, le=10**12, description="Minor units of the store's currency.")]
CategorySlug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]


class _Area(BaseModel):
    model_config = _CLOSED

    name: str = Field(min_length=1, max_length=80, examples=["Germany"])
    countries: list[Country] = Field(min_length=1, max_length=500)
    regions: list[Region] = Field(default_factory=list, max_length=500, description="Only these regions, if any.")
    postal_prefixes: list[PostalPrefix] = Field(
        default_factory=list,
        max_length=500,
        description="Only postal codes starting so (spaces ignored), if any. The most specific zone wins.",
    )


class TaxZoneFields(_Area):
    standard_bp: BasisPoints
    reduced_bp: BasisPoints = 0


class TaxFields(BaseModel):
    prices_include_tax: bool = Field(
        default=False, description="true: prices contain tax (EU gross prices); false: tax is added at checkout."
    )
    tax_shipping: bool = Field(default=True, description="Shipping is taxed (at the goods' rates, shared by value).")
    rounding: Literal["per_line", "per_order"] = Field(
        default="per_order", description="Round each line's tax, or each rate's tax on the whole order."
    )
    rounding_mode: Literal["half_even", "half_up"] = "half_even"
    category_classes: dict[CategorySlug, Literal["standard", "reduced", "zero"]] = Field(
        default_factory=dict,
        max_length=1000,
        description="A category's tax class (its subcategories follow unless they have their own); unlisted: standard.",
        examples=[{"books": "reduced", "gift-cards": "zero"}],
    )
    zones: list[TaxZoneFields] = Field(
        default_factory=list, max_length=100, description="A destination in no zone pays no tax."
    )


class TaxSettingsIn(TaxFields):
    model_config = _CLOSED
    version: Version


class TaxSettingsOut(TaxFields, SectionMeta):
    pass


class BandFields(BaseModel):
    model_config = _CLOSED

    up_to: Minor | None = Field(description="Inclusive upper limit (grams or minor units); null: no limit (last only).")
    price: Minor


class ShippingMethodFields(BaseModel):
    model_config = _CLOSED

    id: str = Field(pattern=SLUG_PATTERN, max_length=40, description="What checkout names.", examples=["standard"])
    name: str = Field(min_length=1, max_length=80, examples=["Standard shipping"])
    kind: Literal["flat", "weight", "subtotal"] = Field(
        description="flat: `price`; weight: `bands` over grams; subtotal: `bands` over the goods after discounts."
    )
    days_min: StrictInt = Field(ge=0, le=365)
    days_max: StrictInt = Field(ge=0, le=365)
    price: Minor = 0
    bands: list[BandFields] = Field(default_factory=list, max_length=50)
    free_from: Minor | None = Field(default=None, description="Free when the goods after discounts reach this.")


class ShippingZoneFields(_Area):
    methods: list[ShippingMethodFields] = Field(min_length=1, max_length=20)


class ShippingFields(BaseModel):
    zones: list[ShippingZoneFields] = Field(
        default_factory=list, max_length=50, description="A destination in no zone cannot be shipped to."
    )


class ShippingSettingsIn(ShippingFields):
    model_config = _CLOSED
    version: Version


class ShippingSettingsOut(ShippingFields, SectionMeta):
    pass


@dataclass(frozen=True, slots=True)
class SectionContract:
    body: type[BaseModel]  # the PUT body: fields + version
    out: type[BaseModel]  # the section as answered
    fields: type[BaseModel]
    extras: Callable[[SectionState, UrlOf], dict[str, Any]] = lambda state, url_of: {}

    def answer(self, state: SectionState, url_of: UrlOf) -> BaseModel:
        meta = {"version": state.version, "updated_by": state.updated_by, "updated_at": state.updated_at}
        return self.out.model_validate(state.data | meta | self.extras(state, url_of))

    def data(self, body: BaseModel) -> dict[str, Any]:
        return body.model_dump(exclude={"version"})

    def version(self, body: BaseModel) -> int:
        return int(getattr(body, "version"))  # noqa: B009 - every body model has one, the base type does not


def _logo_url(state: SectionState, url_of: UrlOf) -> dict[str, Any]:
    logo = state.data.get("logo")
    return {"logo_url": url_of(str(logo)) if logo else None}


CONTRACTS: dict[str, SectionContract] = {
    general.SECTION: SectionContract(GeneralSettingsIn, GeneralSettingsOut, GeneralFields),
    branding.SECTION: SectionContract(BrandingSettingsIn, BrandingSettingsOut, BrandingFields, _logo_url),
    TAX_SECTION: SectionContract(TaxSettingsIn, TaxSettingsOut, TaxFields),
    SHIPPING_SECTION: SectionContract(ShippingSettingsIn, ShippingSettingsOut, ShippingFields),
}


def _change_model(name: str, fields: type[BaseModel]) -> type[BaseModel]:
    return create_model(
        f"{name.title()}SettingsChange",
        version=(int, ...),
        updated_by=(str, Field(description="The operator (sub) who saved it.")),
        updated_at=(str, Field(description="ISO-8601 UTC.")),
        settings=(fields, Field(description="The whole section as saved in this version.")),
    )


def _page_model(name: str, change: type[BaseModel]) -> type[BaseModel]:
    return create_model(
        f"{name.title()}SettingsHistory",
        items=(list[change], Field(description="Newest first.")),  # type: ignore[valid-type]
        next_cursor=(str | None, Field(description="Pass as `cursor` for the next page; null: no more.")),
    )


HISTORY: dict[str, type[BaseModel]] = {
    name: _page_model(name, _change_model(name, contract.fields)) for name, contract in CONTRACTS.items()
}


def history_page(name: str, changes: list[SectionState], next_cursor: str | None) -> BaseModel:
    items = [
        {"version": c.version, "updated_by": c.updated_by, "updated_at": c.updated_at, "settings": c.data}
        for c in changes
    ]
    return HISTORY[name].model_validate({"items": items, "next_cursor": next_cursor})


StoreSettingsOut: type[BaseModel] = create_model(
    "StoreSettingsOut",
    **{name: (contract.out, ...) for name, contract in CONTRACTS.items()},  # type: ignore[call-overload]
)
