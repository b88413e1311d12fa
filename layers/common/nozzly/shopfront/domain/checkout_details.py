"""What a shopper typed into checkout's address step, carried through the payment step in hidden fields, and
judged before anything is started: missing fields, then the email and addresses as the checkout would judge them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.shopfront.domain import checkout_form, forms
from nozzly.shopfront.domain.checkout_form import address_values, missing
from nozzly.stores.domain.zones import Destination

if TYPE_CHECKING:
    from nozzly.customers.domain.customers import AddressFields
    from nozzly.sales.domain.checkout import Checkout


class Details:
    """What the shopper typed into step 1, carried through step 2 in hidden fields."""

    def __init__(self, form: Mapping[str, object], default_email: str = "") -> None:
        self.email = forms.text(form, "email", 320) or default_email
        self.ship = address_values(form, "ship_")
        self.billing_same = forms.text(form, "billing_same") != "no"
        self.bill = address_values(form, "bill_")

    def hidden(self) -> list[tuple[str, str]]:
        fields = [("email", self.email), ("billing_same", "yes" if self.billing_same else "no")]
        fields += [(f"ship_{k}", v) for k, v in self.ship.items()]
        if not self.billing_same:
            fields += [(f"bill_{k}", v) for k, v in self.bill.items()]
        return fields

    def problems(self) -> dict[str, str]:
        found = {} if self.email else {"email": "Please enter your email address."}
        found |= missing(self.ship, "ship_")
        if not self.billing_same:
            found |= missing(self.bill, "bill_")
        if found:
            return found
        from nozzly.accounts.domain.accounts import checked_email

        checks: list[tuple[str, Any]] = [("email", lambda: checked_email(self.email))]
        checks.append(("ship_", lambda: self.fields(self.ship).address("shipping", 0)))
        if not self.billing_same:
            checks.append(("bill_", lambda: self.fields(self.bill).address("billing", 0)))
        for prefix, check in checks:
            try:
                check()
            except InvalidInput as refused:
                name = prefix if prefix == "email" else prefix + (refused.field or "line1")
                found[name] = forms.sentence(refused.message)
        return found

    @staticmethod
    def fields(values: dict[str, str]) -> AddressFields:
        from nozzly.customers.domain.customers import AddressFields

        optional = {k: values[k] or None for k in ("line2", "region")}
        required = {k: values[k] for k in ("name", "line1", "city", "postal_code", "country")}
        return AddressFields(**required, line2=optional["line2"], region=optional["region"])

    def destination(self) -> Destination:
        return Destination(self.ship["country"].upper(), self.ship["region"] or None, self.ship["postal_code"] or None)


def details_of(checkout: Checkout) -> Details:
    """A failed checkout's email and addresses, as step 1 would have sent them (trying again retypes nothing)."""
    form: dict[str, object] = {"email": checkout.email, "billing_same": "no" if checkout.billing_address else "yes"}
    for prefix, address in (("ship_", checkout.address), ("bill_", checkout.billing_address)):
        if address is not None:
            form |= {prefix + name: getattr(address, name) or "" for name in checkout_form.ADDRESS_FIELDS}
    return Details(form)
