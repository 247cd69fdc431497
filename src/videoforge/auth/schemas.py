"""Request and response bodies of /api/auth, in the original client's camelCase."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


def _as_utc(moment: datetime) -> datetime:
    # SQLite hands datetimes back without their zone; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]


class ApiModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class RegisterRequest(ApiModel):
    username: str
    email: str
    password: str


class LoginRequest(ApiModel):
    username: str  # a username or an email address
    password: str


class RefreshRequest(ApiModel):
    refresh_token: str


class LogoutRequest(ApiModel):
    refresh_token: str | None = None


class UserOut(ApiModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    username: str
    email: str
    role: str
    created_at: UtcDatetime


class RegisterResponse(ApiModel):
    user: UserOut
    message: str


class TokenResponse(ApiModel):
    access_token: str
    id_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int  # seconds the access token works


class LoginResponse(TokenResponse):
    status: Literal["authenticated"] = "authenticated"
    user: UserOut
