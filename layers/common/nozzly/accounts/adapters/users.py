"""User accounts in a Cognito user pool: admin calls (create, read, update, sign out) and the app client's auth.

Cognito's errors become domain errors here, so nothing above this module knows Cognito's exception names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NoReturn

from nozzly.accounts.domain.accounts import AccountExists, InvalidCredentials, Tokens, UnknownAccount, UserRecord
from nozzly.kernel.adapters.aws import client
from nozzly.kernel.domain.errors import InvalidInput, TooManyRequests, Unauthorized

# What Cognito answers for a wrong password, an unknown user (PreventUserExistenceErrors turns that into
# NotAuthorized on AWS; moto still says UserNotFound) and accounts that cannot log in: all the same to a caller.
_BAD_CREDENTIALS = frozenset(
    {"NotAuthorizedException", "UserNotFoundException", "UserNotConfirmedException", "PasswordResetRequiredException"}
)


class WeakPassword(InvalidInput):
    """Cognito refused a password under the pool's policy; the service says which policy."""

    code = "invalid_password"


def _error_code(error: Any) -> str:
    return str(getattr(error, "response", {}).get("Error", {}).get("Code", ""))


def _raise_common(error: Exception) -> NoReturn:
    """Errors any call may meet; anything unexpected goes on up unchanged (a 500, logged)."""
    code = _error_code(error)
    if code == "InvalidPasswordException":
        raise WeakPassword("the password does not meet the policy", field="password") from error
    if code == "UserNotFoundException":
        raise UnknownAccount("no such account") from error
    if code in ("TooManyRequestsException", "LimitExceededException"):
        raise TooManyRequests("the identity service is busy; try again shortly", retry_after=1) from error
    raise error


class UserDirectory:
    def __init__(self, pool_id: str, client_id: str = "") -> None:  # the client only for auth flows
        self.pool_id = pool_id
        self.client_id = client_id

    def _call(self, operation: str, **kwargs: Any) -> Any:
        cognito = client("cognito-idp")
        method: Callable[..., Any] = getattr(cognito, operation)
        try:
            return method(**kwargs)
        except cognito.exceptions.ClientError as error:
            _raise_common(error)

    def create(self, username: str, attributes: Mapping[str, str]) -> None:
        """A new account with no usable password yet; Cognito sends nothing (Nozzly sends its own email)."""
        cognito = client("cognito-idp")
        try:
            cognito.admin_create_user(
                UserPoolId=self.pool_id,
                Username=username,
                UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
                MessageAction="SUPPRESS",
            )
        except cognito.exceptions.UsernameExistsException as error:
            raise AccountExists("an account has this username") from error
        except cognito.exceptions.InvalidParameterException as error:
            raise InvalidInput("this email address cannot be used", field="email") from error
        except cognito.exceptions.ClientError as error:
            _raise_common(error)

    def set_password(self, username: str, password: str) -> None:
        """Permanent: the account can log in with it at once (and leaves FORCE_CHANGE_PASSWORD)."""
        self._call(
            "admin_set_user_password", UserPoolId=self.pool_id, Username=username, Password=password, Permanent=True
        )

    def delete(self, username: str) -> None:
        self._call("admin_delete_user", UserPoolId=self.pool_id, Username=username)

    def get(self, username: str) -> UserRecord | None:
        try:
            found = self._call("admin_get_user", UserPoolId=self.pool_id, Username=username)
        except UnknownAccount:
            return None
        attributes = {a["Name"]: a["Value"] for a in found.get("UserAttributes", [])}
        return UserRecord(
            username=found["Username"],
            sub=attributes.get("sub", ""),
            email=attributes.get("email", ""),
            name=attributes.get("name"),
            email_verified=attributes.get("email_verified", "false").lower() == "true",
            store_id=attributes.get("custom:store_id"),
            phone=attributes.get("phone_number"),
        )

    def mark_email_verified(self, username: str) -> None:
        self._call(
            "admin_update_user_attributes",
            UserPoolId=self.pool_id,
            Username=username,
            UserAttributes=[{"Name": "email_verified", "Value": "true"}],
        )

    def update_attributes(self, username: str, attributes: Mapping[str, str]) -> None:
        cognito = client("cognito-idp")
        try:
            cognito.admin_update_user_attributes(
                UserPoolId=self.pool_id,
                Username=username,
                UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
            )
        except cognito.exceptions.InvalidParameterException as error:
            raise InvalidInput("the identity service refused these values") from error
        except cognito.exceptions.ClientError as error:
            _raise_common(error)

    def sign_out_everywhere(self, username: str) -> None:
        """Revokes every refresh token of the account (access tokens run out within their 15 minutes)."""
        self._call("admin_user_global_sign_out", UserPoolId=self.pool_id, Username=username)

    def authenticate(self, username: str, password: str) -> Tokens:
        cognito = client("cognito-idp")
        try:
            answer = cognito.initiate_auth(
                ClientId=self.client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": username, "PASSWORD": password},
            )
        except cognito.exceptions.ClientError as error:
            if _error_code(error) in _BAD_CREDENTIALS:
                raise InvalidCredentials("invalid email or password") from error
            _raise_common(error)
        if "AuthenticationResult" not in answer:
            # A challenge (new password, MFA): no such account state is created by Nozzly; refuse it alike.
            raise InvalidCredentials("invalid email or password")
        return _tokens(answer["AuthenticationResult"])

    def refresh(self, refresh_token: str) -> Tokens:
        cognito = client("cognito-idp")
        try:
            answer = cognito.initiate_auth(
                ClientId=self.client_id,
                AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={"REFRESH_TOKEN": refresh_token},
            )
        except cognito.exceptions.ClientError as error:
            if _error_code(error) in (*_BAD_CREDENTIALS, "ResourceNotFoundException"):
                raise Unauthorized("the refresh token is invalid, expired or revoked") from error
            _raise_common(error)
        return _tokens(answer["AuthenticationResult"])

    def token_owner(self, access_token: str) -> tuple[str, str]:
        """(username, sub) of a live access token: Cognito checks its signature, expiry and revocation."""
        cognito = client("cognito-idp")
        try:
            answer = cognito.get_user(AccessToken=access_token)
        except cognito.exceptions.ClientError as error:
            if _error_code(error) in _BAD_CREDENTIALS:
                raise Unauthorized("the access token is invalid, expired or signed out") from error
            _raise_common(error)
        attributes = {a["Name"]: a["Value"] for a in answer.get("UserAttributes", [])}
        return str(answer["Username"]), attributes.get("sub", "")

    def sign_out(self, access_token: str) -> None:
        """GlobalSignOut with the caller's own token: every refresh token of the account is revoked."""
        cognito = client("cognito-idp")
        try:
            cognito.global_sign_out(AccessToken=access_token)
        except cognito.exceptions.ClientError as error:
            if _error_code(error) in _BAD_CREDENTIALS:
                raise Unauthorized("the access token is invalid or already signed out") from error
            _raise_common(error)


def _tokens(result: Mapping[str, Any]) -> Tokens:
    return Tokens(
        access_token=result["AccessToken"],
        id_token=result["IdToken"],
        refresh_token=result.get("RefreshToken"),
        expires_in=int(result["ExpiresIn"]),
        token_type=result.get("TokenType", "Bearer"),
    )
