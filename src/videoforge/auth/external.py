"""Local accounts for the users of an external identity provider (Cognito or an OIDC issuer),
whose access tokens security/external.py verifies.

The first time a provider's user is seen, a local account is made for them (linked by issuer and
subject), so videos and jobs have an owner; membership of an `admin` group makes them an admin.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from videoforge.db import User

ADMIN_GROUP = "admin"


def groups_of(claims: dict[str, Any]) -> list[str]:
    groups = claims.get("cognito:groups", claims.get("groups", []))
    return [str(g) for g in groups] if isinstance(groups, list) else []


def link_user(db: Session, claims: dict[str, Any]) -> User:
    """The local account for a verified external token, made on first sight; role from groups."""
    external_id = f"{claims['iss'].rstrip('/')} {claims['sub']}"
    role = "admin" if ADMIN_GROUP in groups_of(claims) else "user"
    user = db.scalar(select(User).where(User.external_id == external_id))
    if user is None:
        user = _create(db, claims, external_id, role)
    elif user.role != role:  # the provider's groups decide
        user.role = role
        db.commit()
    return user


def _create(db: Session, claims: dict[str, Any], external_id: str, role: str) -> User:
    email = str(claims.get("email") or "").strip().lower()
    if not email or db.scalar(select(User.id).where(User.email == email)) is not None:
        email = f"{claims['sub']}@external.invalid"[:254]
    base = _username_base(claims)
    for attempt in range(20):
        username = base if attempt == 0 else f"{base[:28]}-{attempt}"
        if db.scalar(select(User.id).where(User.username == username)) is None:
            break
    user = User(
        username=username,
        email=email,
        password_hash="!external",  # never matches: these accounts sign in at the provider
        role=role,
        email_confirmed=True,
        external_id=external_id,
    )
    db.add(user)
    try:
        db.commit()
    except IntegrityError:  # the same person's first two requests raced; the other won
        db.rollback()
        existing = db.scalar(select(User).where(User.external_id == external_id))
        if existing is None:
            raise
        return existing
    return user


def _username_base(claims: dict[str, Any]) -> str:
    for name in ("username", "cognito:username", "preferred_username", "email"):
        value = claims.get(name)
        if isinstance(value, str) and value:
            cleaned = re.sub(r"[^a-z0-9_.-]", "", value.split("@")[0].lower())[:32]
            if len(cleaned) >= 3:
                return cleaned
    return f"user-{str(claims['sub'])[:8].lower()}"
