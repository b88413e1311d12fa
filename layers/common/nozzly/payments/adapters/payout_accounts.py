"""A store's connected payout accounts in the stores table: `PAYOUTS#{provider}` beside the store's profile."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.batch import Read
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.payments.domain.payments import Provider
from nozzly.payments.domain.payouts import AccountEvent, ConnectedAccount

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient


def payouts_sk(provider: Provider) -> str:
    return f"PAYOUTS#{provider.value}"


def _key(store_id: str, provider: Provider) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": payouts_sk(provider)}}


def _account(data: dict[str, Any]) -> ConnectedAccount:
    fee = data.get("fee_basis_points")
    return ConnectedAccount(
        provider=Provider(data["provider"]),
        account_id=str(data["account_id"]),
        charges_enabled=bool(data.get("charges_enabled", False)),
        payouts_enabled=bool(data.get("payouts_enabled", False)),
        details_submitted=bool(data.get("details_submitted", False)),
        disabled_reason=data.get("disabled_reason") or None,
        fee_basis_points=None if fee is None else int(fee),
        updated_at=int(data.get("updated_at", 0)),
    )


class PayoutAccountsRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def account_read(self, store_id: str, provider: Provider = Provider.STRIPE) -> Read[ConnectedAccount]:
        """For a unit of work's ReadSet (checkout reads it with the store and the cart)."""
        return Read(self.table, _key(store_id, provider), _account)

    def get(self, store_id: str, provider: Provider = Provider.STRIPE) -> ConnectedAccount | None:
        response = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table, Key=_key(store_id, provider), ConsistentRead=True
        )
        return _account(from_item(response["Item"])) if "Item" in response else None

    def create(self, store_id: str, account: ConnectedAccount) -> ConnectedAccount:
        """The account stored now, or the one a concurrent onboarding stored first (never two per store)."""
        from botocore.exceptions import ClientError

        data: dict[str, Any] = {
            "pk": store_id,
            "sk": payouts_sk(account.provider),
            "type": "payout_account",
            "provider": account.provider.value,
            "account_id": account.account_id,
            "charges_enabled": account.charges_enabled,
            "payouts_enabled": account.payouts_enabled,
            "details_submitted": account.details_submitted,
            "updated_at": account.updated_at,
        }
        if account.disabled_reason:
            data["disabled_reason"] = account.disabled_reason
        if account.fee_basis_points is not None:
            data["fee_basis_points"] = account.fee_basis_points
        try:
            dynamodb_client(self._dynamodb).put_item(
                TableName=self.table, Item=to_item(data), ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            stored = self.get(store_id, account.provider)
            assert stored is not None
            return stored
        return account

    def apply(self, event: AccountEvent) -> bool:
        """The event's flags stored on the store's account with this id, unless a newer event's are there already
        (Stripe does not deliver in order). False when nothing changed: unknown store or account, or stale."""
        from botocore.exceptions import ClientError

        if not event.store_id:
            return False
        values: dict[str, Any] = {
            ":account": event.account_id,
            ":charges": event.charges_enabled,
            ":payouts": event.payouts_enabled,
            ":details": event.details_submitted,
            ":at": event.created,
        }
        update = "SET charges_enabled = :charges, payouts_enabled = :payouts, details_submitted = :details, "
        update += "updated_at = :at"
        if event.disabled_reason:
            values[":reason"] = event.disabled_reason
            update += ", disabled_reason = :reason"
        else:
            update += " REMOVE disabled_reason"
        try:
            dynamodb_client(self._dynamodb).update_item(
                TableName=self.table,
                Key=_key(event.store_id, event.provider),
                UpdateExpression=update,
                ConditionExpression="account_id = :account AND updated_at <= :at",
                ExpressionAttributeValues=to_item(values),
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            return False
        return True

    def set_fee(self, store_id: str, provider: Provider, basis_points: int | None) -> None:
        """The platform's per-store fee (no route sets it: no platform-operator role exists yet)."""
        key = _key(store_id, provider)
        client = dynamodb_client(self._dynamodb)
        if basis_points is None:
            client.update_item(TableName=self.table, Key=key, UpdateExpression="REMOVE fee_basis_points")
            return
        client.update_item(
            TableName=self.table,
            Key=key,
            UpdateExpression="SET fee_basis_points = :fee",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":fee": {"N": str(basis_points)}},
        )
