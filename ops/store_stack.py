"""A stack's tables and images bucket, and a store's items in them, through boto3.

`--endpoint-url` (or AWS_ENDPOINT_URL) means the local cloud, which names resources `<stack>-<LogicalId>` and the
images bucket `<stack>-images-<account>-<region>` (README, "Using AWS tools against the local cloud"); without it
the names come from CloudFormation's stack resources. `--table LogicalId=name` points one table elsewhere: a table
restored to a point in time (README, "Point-in-time restore").
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ops.store_items import Item
from ops.store_rules import Exported, Partition

IMAGES_BUCKET = "ImagesBucket"


@dataclass
class Stack:
    name: str
    dynamodb: Any
    s3: Any
    tables: dict[str, str]  # logical id -> physical name
    images_bucket: str
    writes: int = field(default=0)

    def items(self, logical_id: str, rule: Exported, store: str) -> Iterator[Item]:
        """Every item of the table that the rule gives to the store (consistent reads, every page)."""
        table = self.tables[logical_id]
        for selector in rule.selectors:
            value = {":v": {"S": selector.value(store)}}
            if isinstance(selector, Partition):
                pages = self.dynamodb.get_paginator("query").paginate(
                    TableName=table,
                    KeyConditionExpression="pk = :v",
                    ExpressionAttributeValues=value,
                    ConsistentRead=True,
                )
            else:
                pages = self.dynamodb.get_paginator("scan").paginate(
                    TableName=table,
                    FilterExpression="begins_with(pk, :v)",
                    ExpressionAttributeValues=value,
                    ConsistentRead=True,
                )
            for page in pages:
                yield from page.get("Items", [])

    def put(self, logical_id: str, items: list[Item]) -> None:
        self._batch(logical_id, [{"PutRequest": {"Item": item}} for item in items])

    def delete(self, logical_id: str, keys: list[Item]) -> None:
        self._batch(logical_id, [{"DeleteRequest": {"Key": key}} for key in keys])

    def _batch(self, logical_id: str, requests: list[dict[str, Any]]) -> None:
        table = self.tables[logical_id]
        for start in range(0, len(requests), 25):
            pending: dict[str, Any] = {table: requests[start : start + 25]}
            while pending:  # unprocessed items (throttling) are sent again
                pending = self.dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
            self.writes += len(requests[start : start + 25])

    def objects(self, prefix: str) -> Iterator[dict[str, Any]]:
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.images_bucket, Prefix=prefix):
            yield from page.get("Contents", [])


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stack", default=os.environ.get("NOZZLY_STACK", "nozzly"), help="stack name (default nozzly)")
    parser.add_argument("--region", default=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"))
    parser.add_argument("--endpoint-url", default=os.environ.get("AWS_ENDPOINT_URL"), help="the local cloud's emulator")
    parser.add_argument(
        "--table", action="append", default=[], metavar="LogicalId=name", help="read/write this table instead"
    )


def connect(args: argparse.Namespace, logical_ids: list[str]) -> Stack:
    import boto3

    region = args.region or "us-east-1"
    session = boto3.session.Session(region_name=region)
    clients = {"endpoint_url": args.endpoint_url} if args.endpoint_url else {}
    dynamodb, s3 = session.client("dynamodb", **clients), session.client("s3", **clients)
    if args.endpoint_url:
        account = session.client("sts", **clients).get_caller_identity()["Account"]
        names = {lid: f"{args.stack}-{lid}" for lid in logical_ids}
        bucket = f"{args.stack}-images-{account}-{region}"
    else:
        resources = (
            session.client("cloudformation").get_paginator("list_stack_resources").paginate(StackName=args.stack)
        )
        physical = {
            r["LogicalResourceId"]: r["PhysicalResourceId"]
            for page in resources
            for r in page["StackResourceSummaries"]
        }
        names = {lid: physical[lid] for lid in logical_ids}
        bucket = physical[IMAGES_BUCKET]
    for override in args.table:
        logical_id, _, name = override.partition("=")
        if logical_id not in names or not name:
            raise SystemExit(f"--table {override}: expected LogicalId=name with one of {', '.join(sorted(names))}")
        names[logical_id] = name
    return Stack(args.stack, dynamodb, s3, names, bucket)
