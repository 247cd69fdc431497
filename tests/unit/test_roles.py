"""The role declarations: each role's routes lie under its own prefixes, and the peer settings
they name exist and are checked at start."""

from __future__ import annotations

from pathlib import Path

import pytest

from videoforge.config import Settings, SettingsError, load_settings
from videoforge.role_specs import ROLE_NAMES, ROLE_SPECS, under
from videoforge.roles import ROLES
from videoforge.testing.routes import all_routes


def role_paths(settings: Settings, role: str) -> list[str]:
    """Every route path of the role's routers, in mounting order."""
    paths = []
    for router in ROLES[role].routers(settings):
        paths += [path for _, path in all_routes(router) if path not in paths]
    return paths


def test_every_role_is_declared_once_in_both_places() -> None:
    assert set(ROLES) == set(ROLE_NAMES)
    assert all(ROLES[name].spec is ROLE_SPECS[name] for name in ROLE_NAMES)


@pytest.mark.parametrize("role", [name for name in ROLE_NAMES if ROLE_SPECS[name].prefixes])
def test_each_route_lies_under_exactly_its_roles_prefixes(tmp_path: Path, role: str) -> None:
    settings = Settings(data_dir=tmp_path)
    paths = role_paths(settings, role)
    assert paths, f"{role} declares prefixes but serves no route"
    for path in paths:
        owners = [
            spec.name
            for spec in ROLE_SPECS.values()
            if any(under(path, prefix) for prefix in spec.prefixes)
        ]
        assert owners == [role], f"{path} of {role} lies under the prefixes of {owners}"


def test_every_prefix_serves_some_route(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    for name, spec in ROLE_SPECS.items():
        paths = role_paths(settings, name)
        for prefix in spec.prefixes:
            assert any(under(path, prefix) for path in paths), f"{name}: nothing under {prefix}"


def test_the_gateways_own_routes_leave_every_roles_prefix_alone(tmp_path: Path) -> None:
    """With every role in one process, nothing of the gateway's may answer another's path
    (its catch-all page route is mounted last, so it only takes what is left)."""
    paths = role_paths(Settings(data_dir=tmp_path, roles=["all"]), "gateway")
    prefixes = [p for spec in ROLE_SPECS.values() for p in spec.prefixes]
    assert "/{path:path}" in paths
    for path in paths:
        assert not any(under(path, prefix) for prefix in prefixes), path


def test_peer_settings_exist_and_a_gateway_without_them_is_refused(tmp_path: Path) -> None:
    needed = ROLE_SPECS["gateway"].needs
    for name in needed:
        field = ROLE_SPECS[name].peer_url_setting
        assert field in Settings.model_fields, f"{name} names no setting {field}"
    with pytest.raises(SettingsError) as caught:
        load_settings(data_dir=tmp_path, roles=["gateway"])
    text = "\n".join(caught.value.problems)
    for name in needed:
        assert f"{ROLE_SPECS[name].peer_url_setting}".upper() in text
