"""The roles as plain data: which URL prefixes each owns, where a gateway finds it, what it needs.

Why two modules: settings must report a gateway's missing peer URLs together with every other
configuration problem, so config.py (the bottom layer) needs these facts; the routers and
background services that make a role (roles.py) sit at the top, above everything they import.
So each role's data lives here, importing nothing of VideoForge, and roles.py attaches each
role's routers and services to its spec. A test checks that every route of a role's routers
lies under exactly that role's prefixes (tests/unit/test_roles.py) and that the gateway forwards
every one of them to the role (tests/topology/test_gateway_routes.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RoleSpec:
    name: str
    # URL path prefixes whose routes this role answers: a gateway forwards them to it.
    prefixes: tuple[str, ...] = ()
    # The Settings field holding the role's base URL, for a gateway that does not run it.
    peer_url_setting: str | None = None
    # Roles this one relies on: each runs in the same process or has its peer URL set.
    needs: tuple[str, ...] = ()


GATEWAY = RoleSpec("gateway", needs=("auth", "gallery", "streaming"))
AUTH = RoleSpec("auth", ("/api/auth", "/.well-known"), "auth_service_url")
GALLERY = RoleSpec(
    "gallery", ("/api/gallery", "/api/upload", "/api/jobs", "/api/admin"), "gallery_service_url"
)
STREAMING = RoleSpec("streaming", ("/api/stream", "/media"), "streaming_service_url")
PROCESSOR = RoleSpec("processor")

ROLE_SPECS = {spec.name: spec for spec in (GATEWAY, AUTH, GALLERY, STREAMING, PROCESSOR)}
ROLE_NAMES = tuple(ROLE_SPECS)


def remote_peers(
    enabled: set[str], peer_url: Callable[[str], str | None]
) -> dict[RoleSpec, str | None]:
    """{role: its base URL, or None when unset} for each role that the enabled roles need and
    this process does not run. `peer_url` reads a setting by its field name."""
    needed = {name for role in enabled for name in ROLE_SPECS[role].needs} - enabled
    peers: dict[RoleSpec, str | None] = {}
    for spec in ROLE_SPECS.values():
        if spec.name in needed and spec.peer_url_setting:
            base = peer_url(spec.peer_url_setting)
            peers[spec] = base.rstrip("/") if base else None
    return peers


def under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")
