"""The platform's provider secrets (Stripe and Square keys, webhook signing secrets): SSM SecureString parameters.

The template gives a function each parameter's NAME (`*_PARAMETER`), never a value: a secret is not readable from
the function's configuration, CloudFormation's parameters or the console. Values are read through Powertools
Parameters with the shared kernel client (so the local cloud's emulator answers) and cached for MAX_AGE seconds per
container: a rotated key reaches warm containers within that time, at one SSM call per parameter per window.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, Generic, TypeVar

from nozzly.kernel.adapters.aws import client

MAX_AGE = 300
T = TypeVar("T")
# A provider's key: its value, or how to read it now. An adapter given `partial(secret, name)` reads it on each
# call (from the cache below), so a rotated key reaches a warm container within MAX_AGE, and a container that never
# calls the provider never reads it.
Key = str | Callable[[], str]


def current(key: Key) -> str:
    return key() if callable(key) else key


class PerKey(Generic[T]):
    """What is built from a key (an SDK client): built on first use, and again only when the key has changed."""

    def __init__(self, key: Key, build: Callable[[str], T]) -> None:
        self._key, self._build = key, build
        self._built: tuple[str, T] | None = None

    def get(self) -> T:
        value = current(self._key)
        if self._built is None or self._built[0] != value:
            self._built = (value, self._build(value))
        return self._built[1]


@cache
def _provider(ssm: Any) -> Any:
    """One Powertools provider (and its value cache) per kernel SSM client: a new client is a new container."""
    from aws_lambda_powertools.utilities.parameters import SSMProvider

    return SSMProvider(boto3_client=ssm)


def secret(name: str) -> str:
    """The parameter's decrypted value; "" when no such parameter exists, which leaves that provider unusable
    exactly as an unset key did (an optional secret, like a separate Connect webhook secret, may be absent)."""
    from aws_lambda_powertools.utilities.parameters import GetParameterError

    if not name:
        return ""
    try:
        value = _provider(client("ssm")).get(name, decrypt=True, max_age=MAX_AGE)
    except GetParameterError as error:
        # Powertools wraps every failure; only a missing parameter means "not configured". Access denied or an
        # outage must surface, not quietly disable payments.
        # (Powertools raises inside its own except block: the boto3 error is the context, not the cause.)
        cause = getattr(error.__cause__ or error.__context__, "response", {}) or {}
        if cause.get("Error", {}).get("Code") == "ParameterNotFound":
            return ""
        raise
    return str(value or "")


def json_parameter(name: str) -> dict[str, Any]:
    """A plain (not secret) parameter holding one JSON object, cached like the secrets; {} when it is missing."""
    import json

    from aws_lambda_powertools.utilities.parameters import GetParameterError

    try:
        value = _provider(client("ssm")).get(name, max_age=MAX_AGE)
    except GetParameterError as error:
        cause = getattr(error.__cause__ or error.__context__, "response", {}) or {}
        if cause.get("Error", {}).get("Code") == "ParameterNotFound":
            return {}
        raise
    found = json.loads(str(value or "{}"))
    return found if isinstance(found, dict) else {}
