"""Every route of every role is reachable through the gateway in the split topology: a request
through the gateway gets the very answer the role's own process gives (not the web app's page,
not a gateway 404). A route added under a prefix the gateway does not forward fails here."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from videoforge.config import Settings
from videoforge.role_specs import ROLE_SPECS
from videoforge.roles import ROLES
from videoforge.testing.routes import all_routes
from videoforge.testing.topology import SplitTopology

pytestmark = pytest.mark.slow


def concrete(path: str) -> str:
    """The route's path with a made-up value in each parameter ({rest:path} gets two parts)."""
    return re.sub(r"\{[^}:]+:path\}", "made/up", re.sub(r"\{[^}:]+\}", "made-up", path))


def answer(response: httpx.Response) -> tuple[int, str, object]:
    """What must match: the status, the media type and, for errors, the error's wording."""
    media_type = response.headers.get("content-type", "").split(";")[0]
    has_error = response.status_code >= 400 and "json" in media_type and response.content
    error = response.json() if has_error else None
    return response.status_code, media_type, error


def test_every_route_of_every_role_is_reachable_through_the_gateway(
    split_topology: SplitTopology, tmp_path: Path
) -> None:
    topo = split_topology
    settings = Settings(data_dir=tmp_path)
    checked = 0
    with httpx.Client(timeout=30) as client:
        for role in ROLE_SPECS["gateway"].needs:
            direct = topo.servers[role].url
            for router in ROLES[role].routers(settings):
                for method, path in all_routes(router):
                    url_path = concrete(path)
                    via_gateway = client.request(method, topo.url + url_path)
                    at_role = client.request(method, direct + url_path)
                    assert answer(via_gateway) == answer(at_role), (
                        f"{method} {path} of the {role} role: the gateway answered "
                        f"{via_gateway.status_code} {via_gateway.text[:200]!r}, the role "
                        f"{at_role.status_code} {at_role.text[:200]!r}"
                    )
                    checked += 1
    assert checked > 40  # every role's routes were gone through, not some
