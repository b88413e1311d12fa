"""Billing emails to the account's owner (the account is their sub; Cognito knows the address).

Best effort: the state change is already written when this runs, and a failed send must not make Stripe
redeliver (the state machine would then ignore the event and the email would never go anyway)."""

from __future__ import annotations

from dataclasses import dataclass

from nozzly.accounts.adapters.users import UserDirectory
from nozzly.billing.domain.accounts import BillingAccount
from nozzly.billing.domain.subscriptions import Notice
from nozzly.billing.emails.notices import billing_notice
from nozzly.messaging.adapters.email import Mailer
from nozzly.messaging.emails.render import render
from nozzly.observability import logger


@dataclass(frozen=True)
class BillingNotices:
    operators: UserDirectory | None
    mailer: Mailer | None
    billing_url: str  # where the owner chooses a plan or updates a card (the console's billing page)

    def send(self, notice: Notice, account: BillingAccount) -> bool:
        try:
            user = self.operators.get(account.account) if self.operators else None
            if user is None or not user.email or self.mailer is None:
                logger.warning("billing email not sent: no address", extra={"notice": notice.value})
                return False
            self.mailer.send(user.email, render(notice.value, billing_notice(notice, account, self.billing_url)))
        except Exception:
            logger.exception("billing email failed", extra={"notice": notice.value})
            return False
        return True
