"""The billing account item (stores table): an account's plan, billing state and its count of stores.

| item | pk | sk | attributes |
|---|---|---|---|
| billing account | `ACCOUNT#{sub}` | `BILLING` | plan, status, trial_ends_at, period_start, period_end,
past_due_since, stores_used, version, gsi1pk / gsi1sk |

`gsi1pk = BILLING#DUE`, `gsi1sk = {due, 12 digits}#{sub}` while a clock will restrict the account (a trial's end,
a grace period's end), removed otherwise (sparse): the scheduled job's one Query of what is due (`due`).

The one key of the stores table that does not start with a store id: an account spans stores. Store ids are
lower-case slugs, so `ACCOUNT#...` can never be one. `version` moves with plan and status only; `stores_used`
moves in the transaction that opens or deletes a store, conditioned on the plan's limit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.billing.domain.accounts import BillingAccount, BillingStatus
from nozzly.billing.domain.plans import PlanCode
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.batch import Read
from nozzly.kernel.adapters.dynamo import from_item, to_item, to_value
from nozzly.kernel.adapters.unit_of_work import Write

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

SK = "BILLING"
DUE = "BILLING#DUE"


def _key(account: str) -> dict[str, Any]:
    return {"pk": {"S": f"ACCOUNT#{account}"}, "sk": {"S": SK}}


def _due_at(a: BillingAccount) -> int | None:
    if a.status is BillingStatus.TRIALING:
        return a.trial_ends_at
    return a.grace_ends_at if a.status is BillingStatus.PAST_DUE else None


def _to_data(a: BillingAccount) -> dict[str, Any]:
    due = _due_at(a)
    return {
        "pk": f"ACCOUNT#{a.account}",
        "sk": SK,
        "type": "billing_account",
        "plan": a.plan.value,
        "status": a.status.value,
        "trial_ends_at": a.trial_ends_at,
        "period_start": a.period_start,
        "period_end": a.period_end,
        "past_due_since": a.past_due_since,
        "stores_used": a.stores_used,
        "version": a.version,
        "gsi1pk": DUE if due is not None else None,
        "gsi1sk": f"{due:012d}#{a.account}" if due is not None else None,
    }


def _from_data(data: dict[str, Any]) -> BillingAccount:
    return BillingAccount(
        account=data["pk"].removeprefix("ACCOUNT#"),
        plan=PlanCode(data["plan"]),
        status=BillingStatus(data["status"]),
        trial_ends_at=data.get("trial_ends_at"),
        period_start=data.get("period_start"),
        period_end=data.get("period_end"),
        past_due_since=data.get("past_due_since"),
        stores_used=data.get("stores_used", 0),
        version=data.get("version", 0),
    )


class BillingAccountsRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def read(self, account: str) -> Read[BillingAccount]:
        return Read(self.table, _key(account), _from_data)

    def find(self, account: str) -> BillingAccount | None:
        response = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table, Key=_key(account), ConsistentRead=True
        )
        return _from_data(from_item(response["Item"])) if "Item" in response else None

    def due(self, before: int, since: int = 0) -> list[BillingAccount]:
        """Accounts whose trial or grace period ends in [since, before) and that are not yet restricted."""
        dynamodb, found = dynamodb_client(self._dynamodb), []
        params: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :due AND gsi1sk BETWEEN :since AND :last",
            "ExpressionAttributeValues": {
                ":due": {"S": DUE},
                ":since": {"S": f"{since:012d}"},
                ":last": {"S": f"{before - 1:012d}$"},  # "$" sorts after "#{sub}": every account due at before - 1
            },
        }
        while True:
            page = dynamodb.query(**params)
            found += [_from_data(from_item(item)) for item in page.get("Items", [])]
            if "LastEvaluatedKey" not in page:
                return found
            params["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def created_op(self, account: BillingAccount) -> Write:
        """An account first written by a billing event (its owner's stores predate billing): only if absent."""
        return self.opened_first_store_op(account)

    def opened_first_store_op(self, account: BillingAccount) -> Write:
        """Create the account with its stores counted (the new one included; its trial starts); only if it does not
        exist yet."""
        item = to_item(_to_data(account))
        return {"Put": {"TableName": self.table, "Item": item, "ConditionExpression": "attribute_not_exists(pk)"}}

    def store_slot_op(self, account: BillingAccount, maximum: int) -> Write:
        """Count one more store, only while the plan read is still the account's and the count is below it."""
        return {
            "Update": {
                "TableName": self.table,
                "Key": _key(account.account),
                "UpdateExpression": "ADD stores_used :one",
                "ConditionExpression": "version = :version AND stores_used < :max",
                "ExpressionAttributeValues": {
                    ":one": {"N": "1"},
                    ":version": {"N": str(account.version)},
                    ":max": {"N": str(maximum)},
                },
            }
        }

    def store_released_op(self, account: str) -> Write:
        """A store deleted frees its slot; never below zero (a store opened before billing was never counted)."""
        return {
            "Update": {
                "TableName": self.table,
                "Key": _key(account),
                "UpdateExpression": "ADD stores_used :minus",
                "ConditionExpression": "stores_used > :zero",
                "ExpressionAttributeValues": {":minus": {"N": "-1"}, ":zero": {"N": "0"}},
            }
        }

    def unchanged_op(self, account: str, read: BillingAccount | None) -> Write:
        """The account's plan and state as judged (absent: still absent), checked in a create's transaction."""
        check: dict[str, Any] = {"TableName": self.table, "Key": _key(account)}
        if read is None:
            check["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            check["ConditionExpression"] = "version = :version"
            check["ExpressionAttributeValues"] = {":version": {"N": str(read.version)}}
        return {"ConditionCheck": check}

    def replace_op(self, before: BillingAccount, after: BillingAccount) -> Write:
        """A change of plan or state: the whole item but its usage, only from the version read."""
        data = _to_data(after)
        fields = [k for k in data if k not in ("pk", "sk", "stores_used")]
        names = {f"#a{i}": k for i, k in enumerate(fields)}
        values = {f":a{i}": to_value(data[k]) for i, k in enumerate(fields) if data[k] is not None}
        sets = [f"#a{i} = :a{i}" for i, k in enumerate(fields) if data[k] is not None]
        removes = [f"#a{i}" for i, k in enumerate(fields) if data[k] is None]
        return {
            "Update": {
                "TableName": self.table,
                "Key": _key(before.account),
                "UpdateExpression": "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else ""),
                "ConditionExpression": "version = :read",
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values | {":read": {"N": str(before.version)}},
            }
        }
