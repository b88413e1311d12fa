"""The scheduled job: write down what the clock decided (a card-less trial or a past-due account's grace period
is over: restricted) and tell the owner; warn owners whose card-less trial ends in TRIAL_NOTICE_DAYS.

Reads already see `restricted` the moment the clock passes (accounts.effective), so the job's lateness only
delays the item and the email. Each account moves with a write conditioned on the version read: a payment that
lands meanwhile wins, and a second run finds nothing left to do (the account left the due index).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.billing.adapters.billing_accounts import BillingAccountsRepository
from nozzly.billing.domain.accounts import DAY, BillingStatus, IllegalMove, restrict
from nozzly.billing.domain.subscriptions import TRIAL_NOTICE_DAYS, Notice
from nozzly.billing.services.notices import BillingNotices
from nozzly.kernel.adapters.unit_of_work import Transaction, WriteConflict
from nozzly.observability import logger

RUN_EVERY = 3600  # the schedule's period (template: rate(1 hour)): each trial enters the notice window once


def _now() -> int:
    return int(time.time())


@dataclass(frozen=True, slots=True)
class RunSummary:
    restricted: int
    trial_notices: int


@dataclass(frozen=True)
class Restrictions:
    accounts: BillingAccountsRepository
    notices: BillingNotices
    clock: Callable[[], int] = field(default=_now)

    def run(self) -> RunSummary:
        now = self.clock()
        restricted = 0
        for account in self.accounts.due(now + 1):
            try:
                after = restrict(account, now)
                Transaction().add("account", self.accounts.replace_op(account, after)).commit()
            except (IllegalMove, WriteConflict):
                logger.info("account moved meanwhile; not restricted", extra={"account": account.account})
                continue
            restricted += 1
            self.notices.send(Notice.RESTRICTED, after)
        window_end = now + TRIAL_NOTICE_DAYS * DAY
        notices = 0
        for account in self.accounts.due(window_end, since=window_end - RUN_EVERY):
            if account.status is BillingStatus.TRIALING:
                notices += int(self.notices.send(Notice.TRIAL_ENDING, account))
        return RunSummary(restricted, notices)
