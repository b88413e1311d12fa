"""The platform's provider secrets (Stripe and Square keys, webhook signing secrets): SSM SecureString parameters.

The template gives a function each parameter's NAME (`*_PARAMETER`), never a value: a secret is not readable from
the function's configuration, CloudFormation's parameters or the console. Values are read through Powertools
Parameters with the shared kernel client (so the local cloud's emulator answers) and cached for MAX_AGE seconds per
container: a rotated key reaches warm containers within that time, at one SSM call per parameter per window.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from nozzly.kernel.adapters.aws import client

MAX_AGE = 300


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
