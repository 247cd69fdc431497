"""Dependency aliases for route handlers: the context and a database session.

Who is asking lives in videoforge.auth.deps (CurrentUser, OptionalUser, AdminUser).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from videoforge.context import Context


def get_context(request: Request) -> Context:
    ctx: Context = request.app.state.ctx
    return ctx


CtxDep = Annotated[Context, Depends(get_context)]


def get_db(ctx: CtxDep) -> Iterator[Session]:
    with ctx.sessions() as session:
        yield session


DbDep = Annotated[Session, Depends(get_db)]
