"""The unit of work: several repositories' writes committed all together or not at all, and reads of several
aggregates fetched together, both named so no service knows an item's position or shape.

Repositories build the writes (`Write`: one TransactWriteItems entry) and the reads (`Read`); a service only
names them:

    tx = Transaction()
    tx.add("checkout", checkouts.move(...))
    tx.add("stock", *reservations.holds(...))
    tx.add("coupon", *coupons.uses(...))
    try:
        tx.commit()
    except WriteConflict as conflict:
        if "coupon" in conflict.failed: ...

    reads = ReadSet()
    store = reads.add(stores.read(store_id))     # a Ref[Store]
    found = reads.fetch()                        # one BatchGetItem per 100 keys
    found[store]                                 # Store | None
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar

from nozzly.kernel.adapters.aws import client as shared_client
from nozzly.kernel.adapters.batch import Read, read_together
from nozzly.kernel.domain.errors import Conflict, InvalidInput

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
K = TypeVar("K")
Write: TypeAlias = dict[str, Any]  # one TransactWriteItems entry; only repositories build or read one
MAX_TRANSACTION_ITEMS = 100  # DynamoDB's limit for one TransactWriteItems

__all__ = ["MAX_TRANSACTION_ITEMS", "ConcurrentTransaction", "ReadSet", "Ref", "Transaction", "Write", "WriteConflict"]


class WriteConflict(Conflict):
    """A transaction was cancelled because conditions failed; `failed` names the parts whose conditions did."""

    def __init__(self, failed: frozenset[str]) -> None:
        super().__init__("the data changed meanwhile or already exists")
        self.failed = failed


class ConcurrentTransaction(Conflict):
    """DynamoDB cancelled the transaction because another one was writing the same item at that moment
    (`TransactionConflict`, e.g. two orders taking one counter). No condition failed and nothing was written:
    the same request sent again succeeds, so the API answers 409 `conflict` with Retry-After."""

    retry_after = 1

    def __init__(self) -> None:
        super().__init__("another request was changing the same data at the same moment; nothing was written: retry")


class Transaction:
    """Named parts of one TransactWriteItems. A part may hold several writes (a hold per product) or none."""

    def __init__(self, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self._writes: list[Write] = []
        self._parts: list[str] = []

    def add(self, part: str, *writes: Write) -> Transaction:
        self._writes += writes
        self._parts += [part] * len(writes)
        return self

    def __len__(self) -> int:
        return len(self._writes)

    def commit(self) -> None:
        """All of the writes or none; more than one transaction holds is refused, never split. Nothing to write
        is nothing done."""
        if not self._writes:
            return
        if len(self._writes) > MAX_TRANSACTION_ITEMS:
            raise InvalidInput(
                f"{len(self._writes)} writes cannot be made atomically (at most {MAX_TRANSACTION_ITEMS})"
            )
        dynamodb = self._dynamodb or shared_client("dynamodb")
        try:
            dynamodb.transact_write_items(TransactItems=self._writes)  # type: ignore[arg-type]
        except dynamodb.exceptions.TransactionCanceledException as exc:
            reasons = exc.response.get("CancellationReasons") or []
            failed = {self._parts[i] for i, r in enumerate(reasons) if r.get("Code") == "ConditionalCheckFailed"}
            if failed:
                raise WriteConflict(frozenset(failed)) from exc
            if any(r.get("Code") == "TransactionConflict" for r in reasons):
                raise ConcurrentTransaction() from exc
            raise  # throttling, a capacity or validation error: not the caller's to retry as a conflict


class Ref(Generic[T_co]):
    """A handle on one read of a ReadSet: indexing the fetched set with it gives that read's item, typed."""

    __slots__ = ("_index",)

    def __init__(self, index: int) -> None:
        self._index = index


class Fetched:
    """What a ReadSet's fetch found: `fetched[ref]` is the item or None."""

    def __init__(self, found: list[Any]) -> None:
        self._found = found

    def __getitem__(self, ref: Ref[T]) -> T | None:
        item: T | None = self._found[ref._index]
        return item

    def each(self, refs: Mapping[K, Ref[T]]) -> dict[K, T]:
        """The found items of a named group of reads (those not found are left out)."""
        return {name: item for name, ref in refs.items() if (item := self[ref]) is not None}


class ReadSet:
    """Reads of several aggregates (any tables) sent together, consistently, in as few BatchGetItems as fit."""

    def __init__(self) -> None:
        self._reads: list[Read[Any]] = []

    def add(self, read: Read[T]) -> Ref[T]:
        self._reads.append(read)
        return Ref(len(self._reads) - 1)

    def add_each(self, reads: Mapping[K, Read[T]]) -> dict[K, Ref[T]]:
        return {name: self.add(read) for name, read in reads.items()}

    def fetch(self) -> Fetched:
        return Fetched(read_together(self._reads))
