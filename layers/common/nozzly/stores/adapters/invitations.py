"""Staff invitations in the stores table: `pk={store}, sk=INVITE#{id}`, one per invited address.

Expired invitations stay until replaced, revoked or accepted (the stores table has no TTL); every read
treats them as absent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.stores.domain.permissions import Role
from nozzly.stores.domain.staff import Invitation

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

PREFIX = "INVITE#"


def _key(store_id: str, invitation_id: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": f"{PREFIX}{invitation_id}"}}


def _from_data(data: dict[str, Any]) -> Invitation:
    return Invitation(
        store_id=data["pk"],
        invitation_id=data["sk"].removeprefix(PREFIX),
        email=data["email"],
        role=Role(data["role"]),
        invited_by=data["invited_by"],
        created_at=int(data["created_at"]),
        expires_at=int(data["expires_at"]),
        secret_digest=data["secret_digest"],
    )


class InvitationsRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def put(self, invitation: Invitation) -> None:
        """Create, or replace an earlier invitation of the same address (its token stops working)."""
        data = {
            "pk": invitation.store_id,
            "sk": f"{PREFIX}{invitation.invitation_id}",
            "type": "invitation",
            "email": invitation.email,
            "role": invitation.role.value,
            "invited_by": invitation.invited_by,
            "created_at": invitation.created_at,
            "expires_at": invitation.expires_at,
            "secret_digest": invitation.secret_digest,
        }
        dynamodb_client(self._dynamodb).put_item(TableName=self.table, Item=to_item(data))

    def get(self, store_id: str, invitation_id: str) -> Invitation | None:
        response = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table, Key=_key(store_id, invitation_id), ConsistentRead=True
        )
        return _from_data(from_item(response["Item"])) if "Item" in response else None

    def of_store(self, store_id: str) -> list[Invitation]:
        response = dynamodb_client(self._dynamodb).query(
            TableName=self.table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={":pk": {"S": store_id}, ":prefix": {"S": PREFIX}},
            ConsistentRead=True,
        )
        return [_from_data(from_item(i)) for i in response["Items"]]

    def delete(self, store_id: str, invitation_id: str) -> bool:
        """Whether there was one to delete."""
        response = dynamodb_client(self._dynamodb).delete_item(
            TableName=self.table, Key=_key(store_id, invitation_id), ReturnValues="ALL_OLD"
        )
        return "Attributes" in response

    def consumed_op(self, invitation: Invitation) -> dict[str, Any]:
        """Delete on acceptance, only if it is still the invitation that was checked (not replaced meanwhile)."""
        return {
            "Delete": {
                "TableName": self.table,
                "Key": _key(invitation.store_id, invitation.invitation_id),
                "ConditionExpression": "secret_digest = :digest",
                "ExpressionAttributeValues": {":digest": {"S": invitation.secret_digest}},
            }
        }
