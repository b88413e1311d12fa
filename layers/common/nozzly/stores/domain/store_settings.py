"""A store's settings as versioned sections: the registry of sections and the versioning rule.

Pure. A section is one item holding a map of fields (stores/adapters/settings_sections.py); each section names
its defaults (what a store that never saved it shows) and its check (the domain's judgement of a whole new
value, normalised). Adding a section (tax, shipping) is one `Section` entry in SECTIONS plus its contracts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from nozzly.kernel.domain.errors import Conflict, NotFound
from nozzly.stores.domain import branding_settings, general_settings
from nozzly.stores.domain.rules_fields import (
    SHIPPING_SECTION,
    TAX_SECTION,
    shipping_data,
    shipping_from_data,
    tax_data,
    tax_from_data,
)
from nozzly.stores.domain.shipping_rules import default_shipping_settings
from nozzly.stores.domain.tax_rules import default_tax_settings

NEVER_SAVED: Final = 0  # the version a section has until its first write (which makes it 1)
PROVISIONING: Final = "nozzly"  # who wrote the sections a new store starts with


@dataclass(frozen=True, slots=True)
class SectionContext:
    """What a section's defaults and checks may depend on."""

    store_id: str
    store_name: str
    country: str  # ISO 3166-1 alpha-2: where a new store taxes and ships by default
    currency: str  # the store's: shipping prices are its minor units


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    defaults: Callable[[SectionContext], dict[str, Any]]
    check: Callable[[Mapping[str, Any], SectionContext], dict[str, Any]]  # raises InvalidInput naming the field


@dataclass(frozen=True, slots=True)
class SectionState:
    """A section as an operator reads it: its data and the version a change must name."""

    section: str
    version: int
    data: dict[str, Any]
    updated_by: str | None = None  # None while never saved
    updated_at: str | None = None  # ISO-8601 UTC


class VersionConflict(Conflict):
    """The section changed since the caller read it: their change would overwrite someone else's."""

    code = "version_conflict"

    def __init__(self, section: str, sent: int) -> None:
        super().__init__(
            f"the {section} settings changed since version {sent} was read; read them again and reapply the change",
            field="version",
        )


SECTIONS: Final[dict[str, Section]] = {
    s.name: s
    for s in (
        Section(general_settings.SECTION, general_settings.defaults, general_settings.check),
        Section(branding_settings.SECTION, branding_settings.defaults, branding_settings.check),
        # The rules are judged by reading them through their validating constructors and written back normalised.
        Section(
            TAX_SECTION,
            lambda c: tax_data(default_tax_settings(c.country)),
            lambda data, c: tax_data(tax_from_data(dict(data))),
        ),
        Section(
            SHIPPING_SECTION,
            lambda c: shipping_data(default_shipping_settings(c.country, c.currency)),
            lambda data, c: shipping_data(shipping_from_data(dict(data))),
        ),
    )
}


def section(name: str) -> Section:
    if name not in SECTIONS:
        raise NotFound(f"no settings section {name!r}", field="section")
    return SECTIONS[name]


def current(name: str, saved: SectionState | None, context: SectionContext) -> SectionState:
    """What the section is now: as saved, or its defaults at version 0. A saved section gains the fields added
    to it after it was saved (their defaults), so readers never meet a missing field."""
    defaults = section(name).defaults(context)
    if saved is None:
        return SectionState(name, NEVER_SAVED, defaults)
    return SectionState(name, saved.version, defaults | saved.data, saved.updated_by, saved.updated_at)


def changed(
    read: SectionState, sent_version: int, data: Mapping[str, Any], context: SectionContext, *, by: str, at: str
) -> SectionState:
    """The section's next state, judged: the caller must have read the version there is now (the store's write
    is conditioned on it too, so a change racing this one still cannot be lost)."""
    if sent_version != read.version:
        raise VersionConflict(read.section, sent_version)
    return SectionState(read.section, read.version + 1, section(read.section).check(data, context), by, at)


def first_sections(context: SectionContext, at: str) -> tuple[SectionState, ...]:
    """Every section at version 1 with its defaults: what a new store is opened with."""
    return tuple(SectionState(s.name, 1, s.defaults(context), PROVISIONING, at) for s in SECTIONS.values())
