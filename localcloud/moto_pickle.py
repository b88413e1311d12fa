"""Pickling moto's backends for the local cloud's saved state (localcloud/persistence.py).

A live BackendDict is referred to by its module and name, never copied, so restoring fills the one moto's
modules use. What is not state, or cannot be pickled as moto holds it, is rebuilt: locks, conditions and events
come back new and free; weak dictionaries and defaultdicts with lambda factories are rebuilt; cryptography's
private keys (Cognito's) travel as DER bytes. Written against moto 5.2.5 (persistence.PINNED_MOTO).
"""

from __future__ import annotations

import collections
import copy
import functools
import pickle
import sys
import threading
import weakref
from collections.abc import Callable
from typing import Any

_LOCK_TYPES = (type(threading.Lock()), type(threading.RLock()))


def backend_dicts() -> list[Any]:
    from moto.core.base_backend import BackendDict

    return [b for b in BackendDict._instances if len(b)]


_CONSTRUCTED = frozenset({"backend", "service_name", "_use_boto3_regions", "_additional_regions", "_id"})


def own_attributes(backend_dict: Any) -> dict[str, Any]:
    """State a service keeps on its BackendDict itself (S3: which account owns each bucket name)."""
    return {k: v for k, v in vars(backend_dict).items() if k not in _CONSTRUCTED}


def _address(backend_dict: Any) -> tuple[str, str]:
    """The module and name a live BackendDict is reachable by, so a snapshot refers to it instead of copying it."""
    module = sys.modules[backend_dict.backend.__module__]
    for name, value in vars(module).items():
        if value is backend_dict:
            return module.__name__, name
    raise LookupError(f"no module attribute holds moto's {backend_dict.service_name} backends")


def _fresh_lock(reentrant: bool) -> Any:
    return threading.RLock() if reentrant else threading.Lock()


def _key_bytes(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    der: bytes = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return der


# What is not state, or not picklable as it stands, by exact type: how to rebuild it.
_REDUCERS: dict[type, Callable[[Any], tuple[Any, tuple[Any, ...]]]] = {
    _LOCK_TYPES[0]: lambda _: (_fresh_lock, (False,)),
    _LOCK_TYPES[1]: lambda _: (_fresh_lock, (True,)),
    threading.Condition: lambda _: (threading.Condition, ()),
    threading.Event: lambda _: (threading.Event, ()),
    # Lambda's functions by ARN: the functions themselves are pickled where they are held strongly.
    weakref.WeakValueDictionary: lambda d: (_weak_values, (dict(d),)),
}


def _limited_size_dict(items: dict[str, Any]) -> Any:
    """moto's DynamoDB item attributes, filled without the size check each key's assignment makes: that check
    sums every attribute again per key (quadratic), and a snapshot holds only items that passed it."""
    from moto.dynamodb.models.dynamo_type import LimitedSizeDict

    rebuilt = LimitedSizeDict.__new__(LimitedSizeDict)
    dict.update(rebuilt, items)
    return rebuilt


def _moto_reducers() -> dict[type, Callable[[Any], tuple[Any, tuple[Any, ...]]]]:
    from moto.dynamodb.models.dynamo_type import LimitedSizeDict

    return {LimitedSizeDict: lambda d: (_limited_size_dict, (dict(d),))}


class Pickler(pickle.Pickler):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from moto.core.base_backend import BackendDict

        super().__init__(*args, **kwargs)
        self._backend_dict = BackendDict
        self._reducers = _REDUCERS | _moto_reducers()

    def persistent_id(self, obj: Any) -> Any:
        # A live BackendDict is referred to, never copied: restoring fills the one moto's modules hold.
        return ("backends", *_address(obj)) if isinstance(obj, self._backend_dict) else None

    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        reducer = self._reducers.get(kind)
        if reducer is not None:
            return reducer(obj)
        if kind is collections.defaultdict and "<" in getattr(obj.default_factory, "__qualname__", ""):
            # moto's defaultdict(lambda: {}): a lambda cannot be pickled, what it makes can (copied for each key)
            return _defaultdict, (functools.partial(copy.deepcopy, obj.default_factory()), dict(obj))
        if isinstance(obj, collections.defaultdict) and kind is not collections.defaultdict:
            # A subclass whose __init__ takes other arguments (SSM's ParameterDict(account_id, region_name)):
            # pickle's defaultdict path would call it with the factory alone.
            return _dict_subclass, (kind, obj.default_factory, vars(obj), dict(obj))
        if kind.__module__.startswith("cryptography.") and hasattr(obj, "private_bytes"):
            return _load_key, (_key_bytes(obj),)  # Cognito's signing keys: cryptography's keys are Rust objects
        return NotImplemented


def _defaultdict(factory: Callable[[], Any], items: dict[Any, Any]) -> collections.defaultdict[Any, Any]:
    return collections.defaultdict(factory, items)


def _dict_subclass(
    kind: type[collections.defaultdict[Any, Any]],
    factory: Callable[[], Any] | None,
    attributes: dict[str, Any],
    items: dict[Any, Any],
) -> collections.defaultdict[Any, Any]:
    rebuilt = kind.__new__(kind)
    collections.defaultdict.__init__(rebuilt, factory)
    vars(rebuilt).update(attributes)
    dict.update(rebuilt, items)
    return rebuilt


def _weak_values(values: dict[Any, Any]) -> weakref.WeakValueDictionary[Any, Any]:
    return weakref.WeakValueDictionary(values)


def _load_key(der: bytes) -> Any:
    from cryptography.hazmat.primitives import serialization

    return serialization.load_der_private_key(der, None)


class Unpickler(pickle.Unpickler):
    def persistent_load(self, pid: Any) -> Any:
        kind, module, name = pid
        if kind != "backends":
            raise pickle.UnpicklingError(f"unknown reference {pid!r}")
        __import__(module)
        return getattr(sys.modules[module], name)


def snapshot_backends() -> bytes:
    """Every moto backend that holds something, pickled (a test process's provisioned template, for one)."""
    import io

    buffer = io.BytesIO()
    Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(backend_states())
    return buffer.getvalue()


def backend_states() -> list[tuple[Any, dict[Any, Any], dict[str, Any]]]:
    return [(b, dict(b), own_attributes(b)) for b in backend_dicts()]


def restore_backends(data: bytes) -> None:
    """A fresh copy of what snapshot_backends pickled, put into moto's live backends."""
    import io

    fill_backends(Unpickler(io.BytesIO(data)).load())


def fill_backends(states: list[tuple[Any, dict[Any, Any], dict[str, Any]]]) -> None:
    from moto.core.base_backend import BackendDict

    for backend_dict, contents, attributes in states:
        backend_dict.clear()
        dict.update(backend_dict, contents)
        vars(backend_dict).update(attributes)
        if backend_dict not in BackendDict._instances:
            BackendDict._instances.append(backend_dict)
