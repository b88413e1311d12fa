"""Stripe Connect for the local Stripe peer (localstripe has none): connected accounts, account links, a control
to finish onboarding, and destination charges recorded on PaymentIntents and refunds as Stripe returns them.

- `POST /v1/accounts`, `GET /v1/accounts/{id}`: Express accounts, created with charges and payouts disabled.
- `POST /v1/account_links`: an onboarding URL on this peer (`/_nozzly/connect/{id}`), whose button (or
  `POST /_nozzly/accounts/{id}/complete`) finishes onboarding: charges and payouts enabled, details submitted,
  and a signed `account.updated` sent like the peer's other events. `POST /_nozzly/accounts/{id}/restrict`
  disables charges with a reason (requirements.past_due), also with its event.
- PaymentIntents take `transfer_data[destination]` (a known account that may take charges),
  `application_fee_amount` (below the amount) and `on_behalf_of`; refunds take `reverse_transfer` and
  `refund_application_fee` (only for a destination charge). All are answered on the objects.
"""

from __future__ import annotations

import html
import secrets
import time
from collections.abc import Callable
from typing import Any

from localstripe import resources
from localstripe.errors import UserError

ACCOUNTS: dict[str, dict[str, Any]] = {}  # what GET /v1/accounts/{id} answers, by id


def _true(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def create_account(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("type") not in ("express", "standard", "custom"):
        raise UserError(400, "type must be express, standard or custom", {"param": "type"})
    account_id = "acct_" + secrets.token_hex(8)
    capabilities = data.get("capabilities") or {}
    account = {
        "id": account_id,
        "object": "account",
        "type": data["type"],
        "country": data.get("country") or "US",
        "email": data.get("email"),
        "created": int(time.time()),
        "charges_enabled": False,
        "payouts_enabled": False,
        "details_submitted": False,
        "capabilities": {name: "inactive" for name, asked in capabilities.items() if _true(asked.get("requested"))},
        "requirements": {"currently_due": ["external_account", "tos_acceptance.date"], "disabled_reason": None},
        "metadata": data.get("metadata") or {},
    }
    ACCOUNTS[account_id] = account
    return account


def account(account_id: str) -> dict[str, Any]:
    found = ACCOUNTS.get(account_id)
    if found is None:
        raise UserError(404, f"No such account: '{account_id}'", {"param": "account"})
    return found


def account_link(data: dict[str, Any], public_url: str) -> dict[str, Any]:
    for name in ("account", "refresh_url", "return_url", "type"):
        if not data.get(name):
            raise UserError(400, f"Missing required param: {name}.", {"param": name})
    if data["type"] not in ("account_onboarding", "account_update"):
        raise UserError(400, "Invalid type", {"param": "type"})
    found = account(str(data["account"]))
    now = int(time.time())
    found["_return_url"], found["_refresh_url"] = data["return_url"], data["refresh_url"]
    return {
        "object": "account_link",
        "created": now,
        "expires_at": now + 300,
        "url": f"{public_url}/_nozzly/connect/{found['id']}",
    }


def complete(account_id: str) -> dict[str, Any]:
    found = account(account_id)
    found.update(charges_enabled=True, payouts_enabled=True, details_submitted=True)
    found["capabilities"] = {name: "active" for name in found["capabilities"]}
    found["requirements"] = {"currently_due": [], "disabled_reason": None}
    return found


def restrict(account_id: str) -> dict[str, Any]:
    found = account(account_id)
    found.update(charges_enabled=False, payouts_enabled=False)
    found["requirements"] = {
        "currently_due": ["individual.verification.document"],
        "disabled_reason": "requirements.past_due",
    }
    return found


def public(found: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in found.items() if not k.startswith("_")}


def onboarding_page(account_id: str) -> str:
    found = account(account_id)
    state = "complete" if found["charges_enabled"] else "not complete"
    back = html.escape(str(found.get("_return_url") or ""))
    return (
        "<!doctype html><title>Local Stripe Connect onboarding</title><h1>Local Stripe Connect onboarding</h1>"
        f"<p>Account {html.escape(account_id)}: onboarding {state}.</p>"
        f"<form method=post action='/_nozzly/accounts/{html.escape(account_id)}/complete'>"
        "<button>Finish onboarding (test data)</button></form>"
        + (f"<p><a href='{back}'>Back to the shop</a></p>" if back else "")
    )


def _destination(transfer_data: Any, amount: Any, fee: Any, on_behalf_of: Any) -> dict[str, Any]:
    """The Connect fields a PaymentIntent answers with, or a 400 as Stripe gives for a bad one."""
    found: dict[str, Any] = {"transfer_data": None, "application_fee_amount": None, "on_behalf_of": on_behalf_of}
    if transfer_data is not None:
        destination = str((transfer_data or {}).get("destination") or "")
        target = ACCOUNTS.get(destination)
        if target is None:
            raise UserError(400, f"No such destination: '{destination}'", {"param": "transfer_data[destination]"})
        if not target["charges_enabled"]:
            raise UserError(400, "The destination account cannot take charges yet.", {"param": "transfer_data"})
        found["transfer_data"] = {"destination": destination}
    if fee is not None:
        if transfer_data is None:
            raise UserError(400, "application_fee_amount needs transfer_data", {"param": "application_fee_amount"})
        try:
            amount_due, fee_amount = int(amount), int(fee)
        except (TypeError, ValueError):
            raise UserError(400, "Invalid integer", {"param": "application_fee_amount"}) from None
        if not 0 < fee_amount < amount_due:
            raise UserError(400, "application_fee_amount must be below the amount", {"param": "application_fee_amount"})
        found["application_fee_amount"] = fee_amount
    return found


def patch_resources() -> None:
    """PaymentIntents and Refunds accept (and answer with) the Connect fields localstripe refuses."""
    intent_init: Callable[..., None] = resources.PaymentIntent.__init__
    refund_init: Callable[..., None] = resources.Refund.__init__

    def intent(self: Any, *args: Any, **kwargs: Any) -> None:
        connect = _destination(
            kwargs.pop("transfer_data", None),
            kwargs.get("amount"),
            kwargs.pop("application_fee_amount", None),
            kwargs.pop("on_behalf_of", None),
        )
        intent_init(self, *args, **kwargs)
        for name, value in connect.items():
            setattr(self, name, value)

    def refund(self: Any, *args: Any, **kwargs: Any) -> None:
        reverse = _true(kwargs.pop("reverse_transfer", False))
        fee_back = _true(kwargs.pop("refund_application_fee", False))
        paid_by = kwargs.get("payment_intent")
        destination_charge = paid_by and getattr(resources.PaymentIntent._api_retrieve(paid_by), "transfer_data", None)
        if (reverse or fee_back) and paid_by and not destination_charge:
            raise UserError(400, "reverse_transfer needs a destination charge", {"param": "reverse_transfer"})
        refund_init(self, *args, **kwargs)
        self.reverse_transfer = reverse
        self.refund_application_fee = fee_back
        if reverse:
            self.transfer_reversal = "trr_" + secrets.token_hex(8)

    resources.PaymentIntent.__init__ = intent
    resources.Refund.__init__ = refund
