"""Finding the ids the emulator gave the template's Cognito pools and clients, by their names: for the
provisioner (create once) and for processes that join a stack another process provisioned."""

from __future__ import annotations

from typing import Any

from localcloud.clients import ClientFactory
from localcloud.intrinsics import Resolver


def find_pool(cognito: Any, name: str) -> str | None:
    for page in cognito.get_paginator("list_user_pools").paginate(MaxResults=60):
        for pool in page["UserPools"]:
            if pool["Name"] == name:
                return str(pool["Id"])
    return None


def find_client(cognito: Any, pool_id: str, name: str) -> str | None:
    for page in cognito.get_paginator("list_user_pool_clients").paginate(UserPoolId=pool_id, MaxResults=60):
        for found in page["UserPoolClients"]:
            if found["ClientName"] == name:
                return str(found["ClientId"])
    return None


def discover(resolver: Resolver, client: ClientFactory) -> Resolver:
    """Teach a resolver the ids the emulator assigned when the template was provisioned."""
    cognito = client("cognito-idp")
    for logical_id, resource in resolver.resources.items():
        if resource["Type"] == "AWS::Cognito::UserPool":
            pool_id = find_pool(cognito, resolver.names[logical_id])
            if pool_id:
                resolver.assign(logical_id, pool_id)
    for logical_id, resource in resolver.resources.items():
        if resource["Type"] == "AWS::Cognito::UserPoolClient":
            pool_id = resolver.resolve(resource["Properties"]["UserPoolId"])
            client_id = find_client(cognito, pool_id, resolver.names[logical_id])
            if client_id:
                resolver.assign(logical_id, client_id)
    return resolver
