"""Store membership: which operators belong to which store, with which role (stores table, gsi1)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.stores.domain.permissions import Membership, Role

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

MEMBER_PREFIX = "MEMBER#"


def member_sk(sub: str) -> str:
    return f"{MEMBER_PREFIX}{sub}"


def operator_partition(sub: str) -> str:
    return f"OPERATOR#{sub}"


def _from_data(data: dict[str, Any]) -> Membership:
    return Membership(
        store_id=data["pk"],
        sub=data["sub"],
        role=Role(data["role"]),
        store_name=data.get("store_name", ""),
        store_deleted=bool(data.get("store_deleted", False)),
        email=data.get("email", ""),
    )


class MembersRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def add_op(self, member: Membership, *, replace: bool = False) -> dict[str, Any]:
        """A new member (refused if already one); with replace, whatever the member was before."""
        data = {
            "pk": member.store_id,
            "sk": member_sk(member.sub),
            "type": "member",
            "sub": member.sub,
            "role": member.role.value,
            "store_name": member.store_name,
            **({"email": member.email} if member.email else {}),
            # gsi1 lists an operator's stores; a deleted store's memberships leave it (sparse index).
            "gsi1pk": operator_partition(member.sub),
            "gsi1sk": member.store_id,
        }
        put: dict[str, Any] = {"TableName": self.table, "Item": to_item(data)}
        if not replace:
            put["ConditionExpression"] = "attribute_not_exists(pk)"
        return {"Put": put}

    def get(self, store_id: str, sub: str) -> Membership | None:
        """Consistent: an operator acts on a store right after opening it."""
        response = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table, Key={"pk": {"S": store_id}, "sk": {"S": member_sk(sub)}}, ConsistentRead=True
        )
        return _from_data(from_item(response["Item"])) if "Item" in response else None

    def of_operator(self, sub: str) -> list[Membership]:
        """The operator's (not deleted) stores: one Query on gsi1, paged only past 1 MB of memberships."""
        memberships: list[Membership] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :p",
            "ExpressionAttributeValues": {":p": {"S": operator_partition(sub)}},
        }
        while True:
            response = dynamodb_client(self._dynamodb).query(**kwargs)
            memberships += [_from_data(from_item(i)) for i in response["Items"]]
            if "LastEvaluatedKey" not in response:
                return memberships
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def of_store(self, store_id: str) -> list[Membership]:
        response = dynamodb_client(self._dynamodb).query(
            TableName=self.table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={":pk": {"S": store_id}, ":prefix": {"S": MEMBER_PREFIX}},
            ConsistentRead=True,
        )
        return [_from_data(from_item(i)) for i in response["Items"]]

    def renamed_op(self, member: Membership, name: str) -> dict[str, Any]:
        return self._update(member, "SET store_name = :v", {":v": {"S": name}})

    def role_changed_op(self, member: Membership, role: Role) -> dict[str, Any]:
        """Conditional on the role read: two admins changing one member at once cannot both win unseen."""
        return {
            "Update": {
                "TableName": self.table,
                "Key": {"pk": {"S": member.store_id}, "sk": {"S": member_sk(member.sub)}},
                "UpdateExpression": "SET #role = :v",
                "ConditionExpression": "attribute_exists(pk) AND #role = :was",
                "ExpressionAttributeNames": {"#role": "role"},
                "ExpressionAttributeValues": {":v": {"S": role.value}, ":was": {"S": member.role.value}},
            }
        }

    def removed_op(self, member: Membership) -> dict[str, Any]:
        return {
            "Delete": {
                "TableName": self.table,
                "Key": {"pk": {"S": member.store_id}, "sk": {"S": member_sk(member.sub)}},
                "ConditionExpression": "#role = :was",
                "ExpressionAttributeNames": {"#role": "role"},
                "ExpressionAttributeValues": {":was": {"S": member.role.value}},
            }
        }

    def deleted_op(self, member: Membership) -> dict[str, Any]:
        # Kept (who was a member stays known) but marked, and out of the operator's list.
        return self._update(member, "SET store_deleted = :v REMOVE gsi1pk, gsi1sk", {":v": {"BOOL": True}})

    def _update(self, member: Membership, expression: str, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self.table,
                "Key": {"pk": {"S": member.store_id}, "sk": {"S": member_sk(member.sub)}},
                "UpdateExpression": expression,
                "ConditionExpression": "attribute_exists(pk)",  # removed meanwhile: the transaction fails
                "ExpressionAttributeValues": values,
            }
        }
