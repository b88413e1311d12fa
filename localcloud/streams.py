"""DynamoDB stream event source mappings, run locally the way Lambda's stream poller runs them.

moto accepts an event source mapping but then invokes the function synchronously inside the write that made
the record, with every record the shard ever held. Here each `AWS::Lambda::EventSourceMapping` of the
transformed template (SAM's `Type: DynamoDB` events) gets a poller that reads the table's stream through the
DynamoDB Streams API after the write, drops records its FilterCriteria reject, batches up to BatchSize within
MaximumBatchingWindowInSeconds, invokes the function synchronously with Lambda's event shape, and honours
ReportBatchItemFailures (it resumes at the lowest failed record), MaximumRetryAttempts and the OnFailure
destination (localcloud/stream_failures.py).

The emulator process runs the pollers (start); the functional tests drain them in-process (Poller.drain).
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from localcloud import deployment, stream_failures
from localcloud.clients import ClientFactory
from localcloud.intrinsics import Resolver
from localcloud.template import ACCOUNT_ID, REGION

log = logging.getLogger("localcloud.streams")
POLL_INTERVAL = 0.2  # seconds between reads of an idle stream
READ_LIMIT = 1000  # records one read takes, as GetRecords answers at most
UNREACHABLE = "Lambda.ServiceException"

# (event) -> (result payload, function error or None): a synchronous invocation of the mapped function.
Invoke = Callable[[dict[str, Any]], tuple[Any, str | None]]
# (checkpoint, starting position) -> (stream ARN, shard id, the records after the checkpoint as GetRecords
# returns them); None while the table or its stream does not exist.
Fetch = Callable[[str | None, str], tuple[str, str, list[dict[str, Any]]] | None]


@dataclass(frozen=True, slots=True)
class StreamMapping:
    logical_id: str
    function_name: str
    event_source_arn: str
    batch_size: int = 100
    batching_window: float = 0.0
    starting_position: str = "TRIM_HORIZON"
    filters: tuple[dict[str, Any], ...] = ()
    report_item_failures: bool = False
    max_retries: int = -1  # -1: until the record expires, as Lambda's default
    on_failure: str | None = None  # the SQS queue ARN a given-up batch is reported to

    @property
    def table_name(self) -> str:
        return self.event_source_arn.split(":table/", 1)[1].split("/", 1)[0]


def mappings(cfn: dict[str, Any], resolver: Resolver) -> list[StreamMapping]:
    """The template's DynamoDB stream mappings (other sources would fail provisioning before reaching here)."""
    found = []
    for logical_id, resource in cfn["Resources"].items():
        if resource["Type"] != "AWS::Lambda::EventSourceMapping":
            continue
        props = resolver.resolve(resource["Properties"])
        arn = str(props["EventSourceArn"])
        if ":sqs:" in arn:
            continue  # localcloud/queues.py runs those
        if ":dynamodb:" not in arn:
            raise NotImplementedError(f"{logical_id}: the local cloud runs DynamoDB stream mappings only")
        patterns = props.get("FilterCriteria", {}).get("Filters", [])
        found.append(
            StreamMapping(
                logical_id=logical_id,
                function_name=deployment.function_name(str(props["FunctionName"])),  # an alias invokes its function
                event_source_arn=arn,
                batch_size=int(props.get("BatchSize", 100)),
                batching_window=float(props.get("MaximumBatchingWindowInSeconds", 0)),
                starting_position=str(props.get("StartingPosition", "TRIM_HORIZON")),
                filters=tuple(json.loads(f["Pattern"]) for f in patterns),
                report_item_failures="ReportBatchItemFailures" in props.get("FunctionResponseTypes", []),
                max_retries=int(props.get("MaximumRetryAttempts", -1)),
                on_failure=props.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination"),
            )
        )
    return found


@functools.cache
def _pattern(text: str) -> Any:
    from moto.events.models import EventPattern

    return EventPattern.load(text)


def accepted(mapping: StreamMapping, record: dict[str, Any]) -> bool:
    """Lambda event filtering, which uses EventBridge's pattern syntax: matched by moto's EventBridge matcher
    (exact values, prefix, suffix, anything-but, numeric ranges, exists, equals-ignore-case, $or)."""
    return not mapping.filters or any(
        _pattern(json.dumps(f, sort_keys=True)).matches_event(record) for f in mapping.filters
    )


def lambda_record(raw: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A GetRecords record as Lambda delivers it: epoch creation time, the stream's ARN."""
    change = dict(raw["dynamodb"])
    created = change.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):  # moto's own records hold UTC without a zone; the API's are zoned
        change["ApproximateCreationDateTime"] = (created if created.tzinfo else created.replace(tzinfo=UTC)).timestamp()
    return {
        "eventID": raw["eventID"],
        "eventName": raw["eventName"],
        "eventVersion": raw.get("eventVersion", "1.1"),
        "eventSource": "aws:dynamodb",
        "awsRegion": raw.get("awsRegion", REGION),
        "dynamodb": change,
        "eventSourceARN": stream_arn,
    }


def _first_failure(result: Any, batch: list[dict[str, Any]]) -> int | None:
    """Index in `batch` of the lowest failed record a partial-batch response names; None if all succeeded."""
    failures = result.get("batchItemFailures") if isinstance(result, dict) else None
    if not failures:
        return None
    failed = {str(f.get("itemIdentifier")) for f in failures}
    for index, record in enumerate(batch):
        if record["dynamodb"]["SequenceNumber"] in failed:
            return index
    return 0  # an identifier that is not in the batch: Lambda retries the whole batch


@dataclass
class Poller:
    mapping: StreamMapping
    client: ClientFactory
    checkpoint: str | None = None  # last sequence number handled
    pending: list[dict[str, Any]] = field(default_factory=list)  # accepted records not yet delivered
    attempts: int = 0  # failed deliveries of pending[0]
    stream_arn: str | None = None
    shard_id: str = ""
    first_pending_at: float = 0.0
    # How many records the stream holds, read without a request (the emulator's own process); None: always read.
    peek: Callable[[], int] | None = None
    seen: int = -1  # what peek said before the last read
    # Reads the records without a request (the emulator's own process); None: through the DynamoDB Streams API.
    fetch: Fetch | None = None

    def _read(self) -> bool:
        """Take the records after the checkpoint, at most READ_LIMIT; whether none are left behind."""
        if self.fetch is not None:
            found = self.fetch(self.checkpoint, self.mapping.starting_position)
            if found is None:
                return True
            self.stream_arn, self.shard_id, records = found
            self._take(records)
            return len(records) < READ_LIMIT
        streams = self.client("dynamodbstreams")
        if self.stream_arn is None:
            table = self.client("dynamodb").describe_table(TableName=self.mapping.table_name)["Table"]
            self.stream_arn = table.get("LatestStreamArn")
            if self.stream_arn is None:
                return True
        shard = streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]["Shards"][0]["ShardId"]
        self.shard_id = shard
        position = (
            {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": self.checkpoint}
            if self.checkpoint
            else {"ShardIteratorType": self.mapping.starting_position}
        )
        iterator = streams.get_shard_iterator(StreamArn=self.stream_arn, ShardId=shard, **position)["ShardIterator"]
        records = streams.get_records(ShardIterator=iterator, Limit=READ_LIMIT)["Records"]
        if self.checkpoint is None and self.mapping.starting_position == "LATEST" and not records:
            return True
        self._take(records)
        return len(records) < READ_LIMIT

    def _take(self, records: list[dict[str, Any]]) -> None:
        for raw in records:
            record = lambda_record(raw, self.stream_arn or "")
            self.checkpoint = record["dynamodb"]["SequenceNumber"]
            if accepted(self.mapping, record):  # filtered-out records are consumed, never delivered
                if not self.pending:
                    self.first_pending_at = time.monotonic()
                self.pending.append(record)

    def poll_once(self, invoke: Invoke, *, wait_for_window: bool = True) -> int:
        """Read new records and deliver at most one batch; the number of records delivered successfully."""
        held = self.peek() if self.peek else -1
        # Nothing new (no iterator is made, no request is served), or a batch already waits: a burst is read as it
        # is delivered, not all at once under the DynamoDB lock into memory.
        if (held < 0 or held != self.seen) and len(self.pending) < self.mapping.batch_size:
            # Only a read that reached the end may skip the next: after a burst of more than READ_LIMIT records
            # the rest would otherwise wait for the table's next write.
            self.seen = held if self._read() else -1
        if not self.pending:
            return 0
        full = len(self.pending) >= self.mapping.batch_size
        if wait_for_window and not full and time.monotonic() - self.first_pending_at < self.mapping.batching_window:
            return 0
        batch = self.pending[: self.mapping.batch_size]
        result, error = invoke({"Records": batch})
        if error is not None:
            failed_at: int | None = 0
            if isinstance(result, dict) and result.get("errorType") == UNREACHABLE:
                return 0  # the functions process is (re)starting: not the function's failure
        else:
            failed_at = _first_failure(result, batch) if self.mapping.report_item_failures else None
        if failed_at is None:
            del self.pending[: len(batch)]
            self.attempts = 0
            return len(batch)
        del self.pending[:failed_at]  # records before the first failure are done
        self.attempts = 0 if failed_at else self.attempts + 1
        if self.mapping.max_retries >= 0 and self.attempts > self.mapping.max_retries:
            log.error("%s: dropping a batch after %d attempts", self.mapping.logical_id, self.attempts)
            self._report(batch[failed_at:], error)
            del self.pending[: len(batch) - failed_at]
            self.attempts = 0
        return failed_at

    def _report(self, records: list[dict[str, Any]], error: str | None) -> None:
        if self.mapping.on_failure is None:
            return
        body = stream_failures.notice(
            self.mapping.function_name,
            self.shard_id,
            self.stream_arn or "",
            records,
            attempts=self.attempts,
            error=error,
        )
        stream_failures.send(self.client("sqs"), self.mapping.on_failure, body)

    def drain(self, invoke: Invoke, max_rounds: int = 1000) -> int:
        """Deliver everything the stream holds now (functional tests); the number of records delivered."""
        delivered = 0
        for _ in range(max_rounds):
            before = (self.checkpoint, len(self.pending))
            delivered += self.poll_once(invoke, wait_for_window=False)
            if not self.pending and (self.checkpoint, 0) == before:
                return delivered
        raise RuntimeError(f"{self.mapping.logical_id}: the stream did not drain in {max_rounds} rounds")


def _run(poller: Poller, deliver: Invoke) -> None:
    while True:
        try:
            delivered = poller.poll_once(deliver)
            if not delivered:
                time.sleep(min(POLL_INTERVAL, poller.mapping.batching_window or POLL_INTERVAL))
        except Exception as exc:  # the table is not provisioned yet, or the emulator is stopping
            log.debug("%s: %s", poller.mapping.logical_id, exc)
            time.sleep(1.0)


def _records_in_process(table_name: str) -> Fetch:
    """GetRecords without a request: the table's stream records after the checkpoint, read from moto's backend
    in this process under the DynamoDB isolation lock (records are what GetRecords answers, before JSON).

    Through the API every read of a busy stream was three requests (DescribeStream, GetShardIterator,
    GetRecords) served by the emulator itself: a tenth of its CPU under the carts bench, and an iterator
    moto never frees for each.
    """
    from moto.dynamodb.models import dynamodb_backends

    from localcloud.dynamodb_isolation import lock

    def fetch(checkpoint: str | None, starting_position: str) -> tuple[str, str, list[dict[str, Any]]] | None:
        with lock:
            table = dynamodb_backends[ACCOUNT_ID][REGION].tables.get(table_name)
            shard = getattr(table, "stream_shard", None)
            if table is None or shard is None or not table.latest_stream_label:
                return None
            first = shard.starting_sequence_number
            if checkpoint is not None:
                start = max(int(checkpoint) + 1, first)
            elif starting_position == "TRIM_HORIZON":
                start = first
            else:  # LATEST before any record was read: as the API path, records from the next write on
                return None
            records = shard.get(start, READ_LIMIT) if start < first + len(shard.items) else []
            arn = f"{table.table_arn}/stream/{table.latest_stream_label}"
            return arn, shard.id, records

    return fetch


def _stream_length(table_name: str) -> Callable[[], int]:
    """The number of records the table's stream holds, read from moto's backend in this process (-1: unknown).

    Idle pollers asked the emulator over HTTP five times a second each (a shard iterator every time, which moto
    never frees): a steady share of a core and growing memory with no traffic at all.
    """
    from moto.dynamodb.models import dynamodb_backends

    def length() -> int:
        table = dynamodb_backends[ACCOUNT_ID][REGION].tables.get(table_name)
        shard = getattr(table, "stream_shard", None)
        return -1 if shard is None else len(shard.items)

    return length


# The emulator's running pollers by mapping, and where each resumes after a restored snapshot (persistence).
_running: dict[str, Poller] = {}
_resume: dict[str, tuple[str | None, list[dict[str, Any]]]] = {}


def positions() -> dict[str, tuple[str | None, list[dict[str, Any]]]]:
    """What each poller read last and still has to deliver: saved with the emulator's state, so a restored
    stream is not delivered again from its first record."""
    return {name: (poller.checkpoint, list(poller.pending)) for name, poller in _running.items()}


def resume_from(saved: dict[str, tuple[str | None, list[dict[str, Any]]]]) -> None:
    _resume.clear()
    _resume.update(saved)


def start(emulator_url: str, functions_url: str) -> None:
    """Run a poller per mapping of the template in daemon threads (the emulator process).

    Functions are invoked through the functions process's Lambda Invoke API, as the bridge invokes them.
    """
    from localcloud.bridge import sync_invoker
    from localcloud.clients import aws_clients
    from localcloud.template import LOCAL_PARAMETERS, transformed

    cfn = transformed(parameters=LOCAL_PARAMETERS)
    client = aws_clients(emulator_url)
    for mapping in mappings(cfn, Resolver(cfn, dict(LOCAL_PARAMETERS))):
        invoke = sync_invoker(functions_url, mapping.function_name)
        checkpoint, pending = _resume.get(mapping.logical_id, (None, []))
        poller = Poller(
            mapping,
            client,
            checkpoint,
            list(pending),
            peek=_stream_length(mapping.table_name),
            fetch=_records_in_process(mapping.table_name),
        )
        poller.first_pending_at = time.monotonic()
        _running[mapping.logical_id] = poller
        threading.Thread(target=_run, args=(poller, invoke), name=f"stream-{mapping.logical_id}", daemon=True).start()
