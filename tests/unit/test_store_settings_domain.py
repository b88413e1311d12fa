"""The settings sections' rules (stores/domain/*_settings.py) and what emails make of them, without any cloud."""

from __future__ import annotations

from typing import Any

import pytest

from nozzly.catalog.domain.catalog import Store
from nozzly.kernel.domain.errors import InvalidInput, NotFound
from nozzly.messaging.emails.branding import brand, order_number
from nozzly.stores.domain import branding_settings, general_settings
from nozzly.stores.domain.email_branding import email_settings
from nozzly.stores.domain.store_settings import (
    SECTIONS,
    SectionContext,
    SectionState,
    VersionConflict,
    changed,
    current,
    first_sections,
)

CONTEXT = SectionContext(store_id="lantern-loom", store_name="Lantern & Loom", country="DE", currency="EUR")
GENERAL: dict[str, Any] = {
    "display_name": "Lantern & Loom",
    "contact_email": None,
    "support_phone": None,
    "storefront_url": None,
    "default_language": "en",
    "timezone": "UTC",
    "weight_unit": "kg",
    "order_number_prefix": "",
    "daily_summary": False,
    "legal_name": None,
    "legal_address": None,
    "tax_id": None,
    "invoice_prefix": "",
}
BRANDING: dict[str, Any] = {"sender_name": "Lantern", "reply_to": None, "brand_colour": "#2d6a4f", "logo": None}
LOGO = "branding/lantern-loom/logo/" + "0123456789abcdef" * 2 + ".png"


def refused(section: str, data: dict[str, Any]) -> str | None:
    with pytest.raises(InvalidInput) as caught:
        SECTIONS[section].check(data, CONTEXT)
    return caught.value.field


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"display_name": "  Lantern\t & Loom "}, {"display_name": "Lantern & Loom"}),
        ({"contact_email": " Hello@Lantern.EXAMPLE "}, {"contact_email": "hello@lantern.example"}),
        ({"contact_email": ""}, {"contact_email": None}),
        ({"support_phone": "+49 (30) 123-456"}, {"support_phone": "+4930123456"}),
        ({"storefront_url": "https://shop.example/"}, {"storefront_url": "https://shop.example"}),
        ({"storefront_url": "https://shop.example/de/"}, {"storefront_url": "https://shop.example/de"}),
        ({"storefront_url": "http://127.0.0.1:8080"}, {"storefront_url": "http://127.0.0.1:8080"}),
        ({"storefront_url": "http://LOCALHOST"}, {"storefront_url": "http://LOCALHOST"}),
        ({"default_language": "pt_br"}, {"default_language": "pt-BR"}),
        ({"timezone": "America/Argentina/Buenos_Aires"}, {"timezone": "America/Argentina/Buenos_Aires"}),
        ({"weight_unit": "LB"}, {"weight_unit": "lb"}),
        ({"order_number_prefix": " ab-7 "}, {"order_number_prefix": "AB-7"}),
        ({"daily_summary": True}, {"daily_summary": True}),
        ({"legal_name": " Lantern  GmbH "}, {"legal_name": "Lantern GmbH"}),
        ({"legal_address": " Weg 1 \n\n 10115  Berlin "}, {"legal_address": "Weg 1\n10115 Berlin"}),
        ({"tax_id": " de 123456789 "}, {"tax_id": "DE 123456789"}),
        ({"invoice_prefix": "inv-"}, {"invoice_prefix": "INV-"}),
    ],
)
def test_general_values_are_normalised(change: dict[str, Any], expected: dict[str, Any]) -> None:
    assert SECTIONS["general"].check(GENERAL | change, CONTEXT) == GENERAL | expected


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"display_name": " "}, "display_name"),
        ({"display_name": "x" * 121}, "display_name"),
        ({"contact_email": "🔥@🔥.com"}, "contact_email"),
        ({"support_phone": "0301234"}, "support_phone"),
        ({"storefront_url": "http://shop.example"}, "storefront_url"),
        ({"storefront_url": "ftp://shop.example"}, "storefront_url"),
        ({"storefront_url": "https://"}, "storefront_url"),
        ({"storefront_url": "shop.example"}, "storefront_url"),
        ({"storefront_url": "https://user:pw@shop.example"}, "storefront_url"),
        ({"storefront_url": "https://shop.example/#top"}, "storefront_url"),
        ({"storefront_url": "https://shop.example:99999"}, "storefront_url"),
        ({"storefront_url": "https://shop example"}, "storefront_url"),
        ({"default_language": "klingon"}, "default_language"),
        ({"timezone": "Europe/Atlantis"}, "timezone"),
        ({"timezone": "/etc/localtime"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"weight_unit": "ton"}, "weight_unit"),
        ({"order_number_prefix": "NÖ"}, "order_number_prefix"),
        ({"order_number_prefix": "A_B"}, "order_number_prefix"),
        ({"order_number_prefix": "ABCDEFGHI"}, "order_number_prefix"),
        ({"daily_summary": "true"}, "daily_summary"),
        ({"daily_summary": None}, "daily_summary"),
        ({"legal_name": "x" * 121}, "legal_name"),
        ({"legal_address": "x" * 401}, "legal_address"),
        ({"tax_id": "DE<123>"}, "tax_id"),
        ({"invoice_prefix": "RE_"}, "invoice_prefix"),
    ],
)
def test_bad_general_values_name_their_field(change: dict[str, Any], field: str) -> None:
    assert refused("general", GENERAL | change) == field


def test_branding_normalises_its_colour_and_reply_to() -> None:
    checked = SECTIONS["branding"].check(
        BRANDING | {"brand_colour": " #AABBCC", "reply_to": "Care@Lantern.example", "logo": LOGO}, CONTEXT
    )

    assert checked == {
        "sender_name": "Lantern",
        "reply_to": "care@lantern.example",
        "brand_colour": "#aabbcc",
        "logo": LOGO,
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sender_name": ""}, "sender_name"),
        ({"sender_name": "Lantern <evil@x.example>"}, "sender_name"),
        ({"sender_name": "x" * 81}, "sender_name"),
        ({"reply_to": "care at lantern"}, "reply_to"),
        ({"brand_colour": "#abc"}, "brand_colour"),
        ({"brand_colour": "rgb(1,2,3)"}, "brand_colour"),
        ({"logo": LOGO.replace("lantern-loom", "other-shop")}, "logo"),
        ({"logo": "uploads/lantern-loom/p/x"}, "logo"),
        ({"logo": LOGO.replace(".png", ".svg")}, "logo"),
    ],
)
def test_bad_branding_values_name_their_field(change: dict[str, Any], field: str) -> None:
    assert refused("branding", BRANDING | change) == field


def test_a_section_never_saved_is_its_defaults_at_version_0() -> None:
    state = current("branding", None, CONTEXT)

    assert (state.version, state.updated_by) == (0, None)
    assert state.data == {"sender_name": "Lantern & Loom", "reply_to": None, "brand_colour": "#2d6a4f", "logo": None}


def test_a_saved_section_gains_fields_added_since_with_their_defaults() -> None:
    saved = SectionState("general", 4, {"display_name": "Old"}, "op", "2026-01-01T00:00:00Z")

    state = current("general", saved, CONTEXT)

    assert state.version == 4 and state.data == GENERAL | {"display_name": "Old"}


def test_a_change_names_the_version_it_read_and_makes_the_next_one() -> None:
    read = current("general", SectionState("general", 2, GENERAL, "op", "t"), CONTEXT)

    after = changed(read, 2, GENERAL | {"weight_unit": "g"}, CONTEXT, by="me", at="now")

    assert (after.version, after.updated_by, after.updated_at, after.data["weight_unit"]) == (3, "me", "now", "g")
    with pytest.raises(VersionConflict) as stale:
        changed(read, 1, GENERAL, CONTEXT, by="me", at="now")
    assert stale.value.code == "version_conflict" and stale.value.field == "version"


def test_an_unknown_section_is_not_found() -> None:
    with pytest.raises(NotFound):
        current("tax-ish", None, CONTEXT)


def test_a_new_store_starts_with_every_section_at_version_1() -> None:
    sections = first_sections(CONTEXT, "2026-12-03T10:00:00Z")

    assert [(s.section, s.version, s.updated_by) for s in sections] == [
        ("general", 1, "nozzly"),
        ("branding", 1, "nozzly"),
        ("tax", 1, "nozzly"),
        ("shipping", 1, "nozzly"),
    ]


def test_emails_read_what_operators_saved_over_legacy_settings_even_a_cleared_field() -> None:
    legacy = {"sender_name": "Old name", "reply_to": "old@x.example", "storefront_url": "https://old.example"}
    general = SectionState(
        "general", 2, GENERAL | {"storefront_url": "https://new.example", "order_number_prefix": "LL-"}, "op", "t"
    )
    branding = SectionState("branding", 3, BRANDING | {"logo": LOGO}, "op", "t")

    assert email_settings(None, None, None) is None
    assert email_settings(None, None, legacy) == legacy
    assert email_settings(branding, general, legacy) == {
        "sender_name": "Lantern", "storefront_url": "https://new.example",
        "order_number_prefix": "LL-", "display_name": "Lantern & Loom", "brand_colour": "#2d6a4f", "logo": LOGO,
    }  # fmt: skip


def test_sections_as_provisioning_wrote_them_give_way_to_an_older_stores_legacy_settings() -> None:
    legacy = {"sender_name": "Old name", "reply_to": "old@x.example", "storefront_url": "https://old.example"}
    general, branding, *_ = first_sections(CONTEXT, "t")

    merged = email_settings(branding, general, legacy)

    assert merged is not None
    assert (merged["sender_name"], merged["reply_to"], merged["storefront_url"]) == (
        "Old name", "old@x.example", "https://old.example",
    )  # fmt: skip
    assert merged["brand_colour"] == "#2d6a4f" and merged["order_number_prefix"] == ""


def test_an_order_number_shows_the_stores_prefix_before_the_stored_integer() -> None:
    store = Store(store_id="lantern-loom", name="Lantern & Loom", currency="EUR", country="DE")

    assert order_number(1001, brand(store, {"order_number_prefix": "LL-"})) == "LL-1001"
    assert order_number(1001, brand(store, None)) == "1001"
    assert general_settings.order_number_text("X", 7) == "X7"
    assert branding_settings.new_logo({"logo": LOGO}, {"logo": LOGO}) is None
    assert branding_settings.new_logo({"logo": None}, {"logo": LOGO}) == LOGO


def test_the_readme_documents_every_setting_of_every_section() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    documented = readme.split("## Store settings", 1)[1].split("\n## ", 1)[0]
    for fields in (general_settings.FIELDS, branding_settings.FIELDS):
        for field in fields:
            assert f"| `{field}` |" in documented, field
    assert set(general_settings.FIELDS) == set(general_settings.defaults(CONTEXT))
    assert set(branding_settings.FIELDS) == set(branding_settings.defaults(CONTEXT))
