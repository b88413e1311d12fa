"""Counting the emulator's billable calls, for `make bench`'s cost per order (localcloud/costs.py).

A WSGI wrapper in the emulator reads each DynamoDB and EventBridge request and its answer and adds up request
units and events; Step Functions state transitions and SES emails are counted from moto's own records when the
meter is read. `GET <emulator>/_localcloud/meter` answers the running totals (a bench subtracts two readings).
Lambda invocations and HTTP API requests are counted by the functions process (`GET /_local/meter`).

Write units are sized from the item as stored after the write (moto is in this process), once for the table
and once for each global secondary index holding the item; a delete counts one unit. Reads are sized from the
items returned.
"""

from __future__ import annotations

import contextlib
import io
import json
import threading
from collections.abc import Callable, Iterable
from typing import Any

from localcloud.costs import item_bytes, read_units, write_units
from localcloud.template import ACCOUNT_ID, REGION

PATH = "/_localcloud/meter"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_DYNAMODB = "DynamoDB_20120810."
_totals = {"read_units": 0.0, "write_units": 0.0, "events": 0}
_lock = threading.Lock()


def _stored_item(table_name: str, key: dict[str, Any]) -> tuple[Any, dict[str, Any] | None]:
    from moto.dynamodb.models import dynamodb_backends

    table = dynamodb_backends[ACCOUNT_ID][REGION].tables.get(table_name)
    if table is None:
        return None, None
    hash_key = key.get(table.hash_key_attr)
    range_key = key.get(table.range_key_attr) if table.range_key_attr else None
    try:
        from moto.dynamodb.models.dynamo_type import DynamoType

        item = table.get_item(DynamoType(hash_key), DynamoType(range_key) if range_key else None)
    except Exception:  # a key moto refuses: the write failed, nothing was stored
        return table, None
    return table, item.to_json()["Attributes"] if item else None


def _write(table_name: str, key: dict[str, Any], *, transactional: bool = False, delete: bool = False) -> float:
    table, item = _stored_item(table_name, key)
    if delete or item is None:
        return write_units(0, transactional=transactional)
    size = item_bytes(item)
    indexes = [i for i in getattr(table, "global_indexes", []) if all(k["AttributeName"] in item for k in i.schema)]
    return write_units(size, transactional=transactional) * (1 + len(indexes))


def _key_of(table_name: str, item: dict[str, Any]) -> dict[str, Any]:
    table, _ = _stored_item(table_name, {})
    if table is None:
        return {}
    names = [table.hash_key_attr] + ([table.range_key_attr] if table.range_key_attr else [])
    return {n: item[n] for n in names if n in item}


def dynamodb_units(action: str, request: dict[str, Any], answer: dict[str, Any]) -> tuple[float, float]:  # noqa: PLR0911
    """(read units, write units) one DynamoDB call consumed."""
    consistent = bool(request.get("ConsistentRead"))
    if action == "GetItem":
        return read_units(item_bytes(answer.get("Item")), consistent=consistent), 0.0
    if action in ("Query", "Scan"):
        size = sum(item_bytes(i) for i in answer.get("Items", []))
        return read_units(size, consistent=consistent), 0.0
    if action == "BatchGetItem":
        return sum(
            read_units(item_bytes(i), consistent=bool(request["RequestItems"][t].get("ConsistentRead")))
            for t, items in answer.get("Responses", {}).items()
            for i in items
        ), 0.0
    if action == "TransactGetItems":
        return sum(
            read_units(item_bytes(r.get("Item")), consistent=True, transactional=True)
            for r in answer.get("Responses", [])
        ), 0.0
    if action in ("PutItem", "UpdateItem", "DeleteItem"):
        key = request.get("Key") or _key_of(request["TableName"], request.get("Item", {}))
        return 0.0, _write(request["TableName"], key, delete=action == "DeleteItem")
    if action == "BatchWriteItem":
        units = 0.0
        for table_name, writes in request.get("RequestItems", {}).items():
            for write in writes:
                if "PutRequest" in write:
                    units += _write(table_name, _key_of(table_name, write["PutRequest"]["Item"]))
                else:
                    units += write_units(0)
        return 0.0, units
    if action == "TransactWriteItems" and "__type" not in answer:
        units = 0.0
        for part in request.get("TransactItems", []):
            ((kind, op),) = part.items()
            key = op.get("Key") or _key_of(op["TableName"], op.get("Item", {}))
            units += _write(op["TableName"], key, transactional=True, delete=kind in ("Delete", "ConditionCheck"))
        return 0.0, units
    return 0.0, 0.0


def metered(app: WsgiApp) -> WsgiApp:
    def metering_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == PATH:
            body = json.dumps(reading()).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if not target.startswith((_DYNAMODB, "AWSEvents.PutEvents")):
            return app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(raw)
        answer = b"".join(app(environ, start_response))
        with contextlib.suppress(ValueError, KeyError, TypeError):  # a request moto refused: nothing billable
            _count(target, json.loads(raw or b"{}"), json.loads(answer or b"{}"))
        return [answer]

    return metering_app


def _count(target: str, request: dict[str, Any], answer: dict[str, Any]) -> None:
    if target.startswith(_DYNAMODB):
        reads, writes = dynamodb_units(target[len(_DYNAMODB) :], request, answer)
        with _lock:
            _totals["read_units"] += reads
            _totals["write_units"] += writes
    elif "__type" not in answer:
        with _lock:
            _totals["events"] += len(request.get("Entries", []))


def reading() -> dict[str, Any]:
    """Running totals since the emulator started."""
    from moto.stepfunctions.parser.models import stepfunctions_parser_backends

    from localcloud.outbox import sent_messages

    transitions = 0
    for _, _, backend in stepfunctions_parser_backends.iter_backends():
        for machine in list(backend.state_machines):
            for execution in list(getattr(machine, "executions", [])):
                events = execution.to_history_output().get("events", [])
                transitions += sum(1 for e in events if str(e.get("type", "")).endswith("StateEntered"))
    with _lock:
        return dict(_totals) | {"transitions": transitions, "emails": len(sent_messages())}
