"""Verification and reset codes in the identity table: one item per account and purpose, holding a digest only.

pk `{realm}#{username}`, sk `CODE#{purpose}`; attributes code_hash, attempts_left, expires_at (TTL). The
plain code exists only in the email; nothing here logs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.accounts.domain.accounts import Purpose, digests_match
from nozzly.kernel.adapters.aws import dynamodb_client

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient


def _key(account_key: str, purpose: Purpose) -> dict[str, dict[str, str]]:
    return {"pk": {"S": account_key}, "sk": {"S": f"CODE#{purpose.value}"}}


class CodeStore:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def issue(self, account_key: str, purpose: Purpose, digest: str, *, expires_at: int, attempts: int) -> None:
        """A new code replaces any earlier one for the same purpose, with a fresh count of attempts."""
        dynamodb_client(self._dynamodb).put_item(
            TableName=self.table,
            Item={
                **_key(account_key, purpose),
                "code_hash": {"S": digest},
                "attempts_left": {"N": str(attempts)},
                "expires_at": {"N": str(expires_at)},
            },
        )

    def attempt(self, account_key: str, purpose: Purpose, digest: str, now: float) -> bool:
        """Whether `digest` is the live code's. Every attempt is spent first, atomically, so parallel guesses
        get no more tries than sequential ones; an expired item counts as absent (TTL deletes late)."""
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            answer = dynamodb.update_item(
                TableName=self.table,
                Key=_key(account_key, purpose),
                UpdateExpression="ADD attempts_left :spent",
                ConditionExpression="attempts_left > :none AND expires_at > :now",
                ExpressionAttributeValues={":spent": {"N": "-1"}, ":none": {"N": "0"}, ":now": {"N": str(int(now))}},
                ReturnValues="ALL_NEW",
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return digests_match(answer["Attributes"]["code_hash"]["S"], digest)

    def consume(self, account_key: str, purpose: Purpose, digest: str) -> None:
        """Delete a used code, unless a newer one replaced it meanwhile."""
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            dynamodb.delete_item(
                TableName=self.table,
                Key=_key(account_key, purpose),
                ConditionExpression="code_hash = :digest",
                ExpressionAttributeValues={":digest": {"S": digest}},
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return
