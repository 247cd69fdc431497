"""Dependency aliases for route handlers: the context and a database session.

Who is asking lives in videoforge.auth.deps (CurrentUser, OptionalUser, AdminUser).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.applications import Starlette

from videoforge.context import Context
from videoforge.role_specs import RoleSpec

State = TypeVar("State")


def get_context(request: Request) -> Context:
    ctx: Context = request.app.state.ctx
    return ctx


CtxDep = Annotated[Context, Depends(get_context)]


def get_db(ctx: CtxDep) -> Iterator[Session]:
    with ctx.sessions() as session:
        yield session


DbDep = Annotated[Session, Depends(get_db)]


def role_state(app: Starlette, role: RoleSpec, kind: type[State]) -> State:
    """The typed state a role keeps for its process (roles.py builds it at start)."""
    state = getattr(app.state, role.name)
    if not isinstance(state, kind):
        raise TypeError(f"the {role.name} role's state is a {type(state).__name__}, not {kind}")
    return state


def role_state_dependency(role: RoleSpec, kind: type[State]) -> Callable[[Request], State]:
    """A FastAPI dependency answering `role_state` for the request's app."""

    def dependency(request: Request) -> State:
        return role_state(request.app, role, kind)

    return dependency
