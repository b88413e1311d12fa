"""Cognito verifies an access token for us: GetUser answers only for a valid, unexpired, unrevoked one."""

from __future__ import annotations

from typing import Any

from nozzly.kernel.adapters.aws import client


def verified_username(token: str) -> str | None:
    """The token's username if Cognito accepts it; None for any token it refuses."""
    cognito: Any = client("cognito-idp")
    try:
        user = cognito.get_user(AccessToken=token)
    except (cognito.exceptions.NotAuthorizedException, cognito.exceptions.UserNotFoundException):
        return None
    except cognito.exceptions.ClientError:
        return None
    username = user.get("Username")
    return username if isinstance(username, str) else None
