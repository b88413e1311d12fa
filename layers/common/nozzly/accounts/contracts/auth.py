"""Account API bodies (operators and shoppers alike)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from nozzly.accounts.domain.accounts import MAX_EMAIL_LENGTH, Tokens, UserRecord, checked_email
from nozzly.kernel.domain.errors import InvalidInput


def _email(value: str) -> str:
    try:
        return checked_email(value)
    except InvalidInput as problem:
        raise ValueError(problem.message) from None


def _password(value: str) -> str:
    # Cognito refuses passwords that start or end with whitespace as a malformed request, not as weak.
    if value != value.strip():
        raise ValueError("must not start or end with a space")
    return value


# Every email address a client sends. The raw length is bounded loosely (surrounding spaces are stripped); the
# address itself by checked_email (email-validator).
Email = Annotated[str, Field(max_length=2 * MAX_EMAIL_LENGTH, examples=["me@example.com"]), AfterValidator(_email)]
Password = Annotated[str, Field(min_length=1, max_length=256), AfterValidator(_password)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{6}$"), Field(examples=["123456"])]


class SignUpIn(BaseModel):
    email: Email
    password: Password = Field(description="Judged by the user pool's password policy.")
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None


class ConfirmIn(BaseModel):
    email: Email
    code: Code = Field(description="The 6-digit code from the verification email.")


class LogInIn(BaseModel):
    email: Email
    password: Password


class RefreshIn(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=8192)


# A browser app keeps the refresh token out of reach of its own scripts: the API holds it in an HttpOnly cookie.
REFRESH_COOKIE = "nz_operator_refresh"


class OperatorLogInIn(LogInIn):
    session: Literal["body", "cookie"] = Field(
        default="body",
        description=(
            f"`cookie`: the refresh token is set as the HttpOnly cookie `{REFRESH_COOKIE}` (path `/auth`, "
            "SameSite=Strict) instead of being returned; a browser app then refreshes with an empty body."
        ),
    )


class OperatorRefreshIn(BaseModel):
    refresh_token: str | None = Field(
        default=None,
        min_length=1,
        max_length=8192,
        description=f"Leave out to use the `{REFRESH_COOKIE}` cookie set by a `session: cookie` login.",
    )


class ForgotPasswordIn(BaseModel):
    email: Email


class ResetPasswordIn(BaseModel):
    email: Email
    code: Code = Field(description="The 6-digit code from the password reset email.")
    new_password: Password


class AcceptedOut(BaseModel):
    message: str


# The same words whether or not the address has an account.
def signup_accepted() -> AcceptedOut:
    return AcceptedOut(message="Check your inbox: we sent an email to this address with the next step.")


def reset_accepted() -> AcceptedOut:
    return AcceptedOut(message="If an account uses this address, we sent it a code to reset the password.")


class RefreshedOut(BaseModel):
    access_token: str
    id_token: str
    expires_in: int = Field(description="Seconds until the access and ID tokens expire.")
    token_type: str = "Bearer"


class TokensOut(RefreshedOut):
    refresh_token: str = Field(description="Trade it at .../auth/refresh for new tokens; valid 7 days.")


class OperatorTokensOut(RefreshedOut):
    refresh_token: str | None = Field(
        description="Trade it at /auth/refresh for new tokens; valid 7 days. Null when the login set the cookie."
    )


class MeOut(BaseModel):
    id: str = Field(description="The account's stable id (Cognito sub).")
    email: str
    name: str | None
    email_verified: bool
    phone: str | None = Field(description="E.164, like +4930123456; null until set.")


class ShopperMeOut(MeOut):
    store: str


def tokens_out(tokens: Tokens) -> TokensOut:
    return TokensOut(
        access_token=tokens.access_token,
        id_token=tokens.id_token,
        refresh_token=tokens.refresh_token or "",
        expires_in=tokens.expires_in,
        token_type=tokens.token_type,
    )


def operator_tokens_out(tokens: Tokens, in_cookie: bool) -> OperatorTokensOut:
    return OperatorTokensOut(
        access_token=tokens.access_token,
        id_token=tokens.id_token,
        refresh_token=None if in_cookie else (tokens.refresh_token or ""),
        expires_in=tokens.expires_in,
        token_type=tokens.token_type,
    )


def refreshed_out(tokens: Tokens) -> RefreshedOut:
    return RefreshedOut(
        access_token=tokens.access_token,
        id_token=tokens.id_token,
        expires_in=tokens.expires_in,
        token_type=tokens.token_type,
    )


def me_out(user: UserRecord) -> MeOut:
    return MeOut(id=user.sub, email=user.email, name=user.name, email_verified=user.email_verified, phone=user.phone)


def shopper_me_out(user: UserRecord, store: str) -> ShopperMeOut:
    return ShopperMeOut(**me_out(user).model_dump(), store=store)
