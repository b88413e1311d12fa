"""Store ids, a new store's defaults and the permission matrix: pure domain rules."""

from __future__ import annotations

import json

import pytest

from localcloud.template import ROOT
from nozzly.kernel.domain.money import SUPPORTED_CURRENCIES, Money
from nozzly.kernel.domain.slugs import MAX_SLUG_LENGTH, is_slug, numbered_slugs
from nozzly.stores.domain.permissions import Action, Role, allowed, matrix_markdown
from nozzly.stores.domain.shipping_rules import ShippingMethod, default_shipping_settings
from nozzly.stores.domain.store_defaults import store_defaults
from nozzly.stores.domain.tax_rules import default_tax_settings
from nozzly.stores.domain.zones import Destination
from nozzly.stores.services.store_provisioning import readable_error

pytestmark = pytest.mark.unit


def test_numbered_slugs_suffix_from_two() -> None:
    assert numbered_slugs("lantern-loom", 4) == ["lantern-loom", "lantern-loom-2", "lantern-loom-3", "lantern-loom-4"]


def test_numbered_slugs_stay_valid_slugs_at_the_length_limit() -> None:
    base = "a" * 78 + "-b"
    candidates = numbered_slugs(base, 12)

    assert all(is_slug(c) and len(c) <= MAX_SLUG_LENGTH for c in candidates)
    assert len(set(candidates)) == 12
    assert candidates[-1].endswith("-12")


def test_defaults_follow_country_currency_and_niche() -> None:
    defaults = store_defaults("s", "Lantern & Loom", "Home", "EUR", "DE")

    assert [c.slug for c in defaults.categories] == ["furniture", "kitchen", "decor", "garden"]
    assert [c.position for c in defaults.categories] == [0, 1, 2, 3]
    assert all(c.store_id == "s" for c in defaults.categories)
    tax = default_tax_settings("DE").applied(Destination("DE"))
    assert (tax.standard_bp, tax.reduced_bp, tax.prices_include_tax) == (1900, 700, False)
    methods = _methods("EUR")
    assert [(m.method_id, m.price) for m in methods] == [
        ("standard", Money(490, "EUR")),
        ("express", Money(1490, "EUR")),
    ]
    assert defaults.first_order_number == 1001
    assert defaults.store_name == "Lantern & Loom"


def test_an_unknown_niche_gets_generic_categories() -> None:
    slugs = [c.slug for c in store_defaults("s", "S", "knitting supplies", "EUR", "DE").categories]
    assert slugs == ["new-arrivals", "best-sellers", "sale"]


def _methods(currency: str) -> tuple[ShippingMethod, ...]:
    rules = default_shipping_settings("DE", currency)
    return rules.options(Destination("DE"), subtotal=Money(0, currency), weight_grams=0)


@pytest.mark.parametrize(("country", "bp"), [("GB", 2000), ("CH", 810), ("JP", 1000), ("US", 0), ("BR", 0)])
def test_tax_rates_per_country_with_a_zero_default(country: str, bp: int) -> None:
    assert default_tax_settings(country).applied(Destination(country)).standard_bp == bp


def test_a_new_store_ships_only_within_its_home_country() -> None:
    rules = default_shipping_settings("DE", "EUR")
    assert rules.options(Destination("FR"), subtotal=Money(1000, "EUR"), weight_grams=0) == ()


@pytest.mark.parametrize(
    ("currency", "standard"), [("JPY", 700), ("KWD", 4900), ("USD", 490), ("KRW", 5000), ("HUF", 490)]
)
def test_shipping_prices_are_minor_units_of_the_store_currency(currency: str, standard: int) -> None:
    methods = _methods(currency)
    assert methods[0].price == Money(standard, currency)
    assert methods[0].price < methods[1].price


def test_every_supported_currency_has_shipping_defaults() -> None:
    for currency in SUPPORTED_CURRENCIES:
        assert all(m.price.amount > 0 for m in _methods(currency))


def test_roles_are_ordered_owner_admin_staff() -> None:
    for action in Action:
        assert allowed(Role.OWNER, action)
        if allowed(Role.STAFF, action):
            assert allowed(Role.ADMIN, action)
    assert not allowed(Role.ADMIN, Action.STORE_DELETE)
    assert not allowed(Role.STAFF, Action.STORE_UPDATE)
    assert allowed(Role.STAFF, Action.ORDERS_MANAGE)
    assert not allowed(Role.STAFF, Action.REFUNDS_CREATE)


def test_unknown_roles_and_actions_may_do_nothing() -> None:
    assert not allowed("guest", Action.STORE_READ)
    assert not allowed(Role.OWNER, "store.sell")


def test_the_readme_shows_the_matrix_the_code_enforces() -> None:
    readme = (ROOT / "README.md").read_text()

    assert matrix_markdown() in readme


def test_readable_errors_keep_internals_out() -> None:
    seeding = {"Error": "SeedingFailed", "Cause": json.dumps({"errorMessage": "The catalog already existed."})}
    assert readable_error(seeding) == "The catalog already existed."
    other = readable_error({"Error": "States.Timeout", "Cause": "Traceback ..."})
    assert other == "An unexpected error stopped the store's setup (States.Timeout). Nothing was created."
    assert "unknown" in readable_error(None)
