"""Every (method, path) a FastAPI app or router answers, for tests that go over all routes."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import APIRouter, FastAPI


def all_routes(app: FastAPI | APIRouter) -> list[tuple[str, str]]:
    """(method, path) of every route, including those of included routers. HEAD is listed
    only for routes that answer nothing else (GET routes answer HEAD as well)."""
    found: set[tuple[str, str]] = set()

    def walk(routes: Iterable[object]) -> None:
        for route in routes:
            # FastAPI keeps an included router as one entry that lists its routes on demand.
            nested = getattr(route, "effective_route_contexts", None)
            if nested is not None:
                walk(nested())
                continue
            path: str | None = getattr(route, "path", None)
            methods: set[str] = set(getattr(route, "methods", None) or ())
            if path is None:
                continue
            shown = methods - {"HEAD"} or methods
            found.update((method, path) for method in shown)

    walk(app.routes)
    return sorted(found)
