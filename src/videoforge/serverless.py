"""AWS Lambda handlers for the gallery and streaming roles, through Mangum.

Point a function's handler at `videoforge.serverless.gallery_handler` or
`videoforge.serverless.streaming_handler`; settings come from the function's environment, as
for any other process (see docs/serverless.md). API Gateway REST APIs (payload v1), HTTP APIs
(v2) and function URLs all work, whether or not the API strips the `/api/...` prefix.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import tempfile
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from mangum import Mangum
from starlette.types import ASGIApp, Receive, Scope, Send

from videoforge.config import SettingsError, load_settings
from videoforge.role_specs import ROLE_SPECS, under

log = logging.getLogger(__name__)

# Paths every role answers, which arrive as they are.
COMMON_PATHS = (
    "/api/health",
    "/api/ready",
    "/api/metrics",
    "/api/scaling",
    "/docs",
    "/redoc",
    "/openapi.json",
)


def gallery_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _handler("gallery")(event, context)


def streaming_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _handler("streaming")(event, context)


# A Lambda execution environment runs one invocation at a time and keeps this module between
# warm invocations: building the app once per environment is the point (the database pool,
# keys and store client are reused), and nothing else in the process could share it by
# mistake. Tests call `_handler.cache_clear()` to build it again from new settings.
@functools.cache
def _handler(role: str) -> Mangum:
    return build_handler(role)


def build_handler(role: str) -> Mangum:
    """A Mangum handler running only `role`, with settings from the environment."""
    from videoforge.app import create_app
    from videoforge.context import build_context

    try:
        load_secrets(os.environ)
    except SecretsError as exc:
        log.error("configuration problem: %s", exc)
        raise
    overrides: dict[str, object] = {"roles": [role]}
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME") and "VIDEOFORGE_DATA_DIR" not in os.environ:
        # Only /tmp is writable on Lambda; the default ./var is inside the read-only package.
        overrides["data_dir"] = Path(tempfile.gettempdir()) / "videoforge"
    try:
        settings = load_settings(**overrides)
    except SettingsError as exc:
        for problem in exc.problems:
            log.error("configuration problem: %s", problem)
        raise
    ctx = build_context(settings)
    app = create_app(settings, context=ctx)
    prefixes = ROLE_SPECS[role].prefixes
    # Mangum runs the app's lifespan around every invocation; with the context built here the
    # lifespan only hands it to the app, and never closes it.
    return Mangum(RestorePrefix(app, prefixes), lifespan="auto")


# {"DB_PASSWORD": {"arn": "<secret ARN>", "field": "password"}, "JWT_SECRET": {"arn": ...}}
SECRETS_ENV = "VIDEOFORGE_SECRETS"


class SecretsError(RuntimeError):
    """A secret named in VIDEOFORGE_SECRETS could not be read."""


def load_secrets(environ: MutableMapping[str, str], client: Any = None) -> list[str]:
    """Fill environment variables from Secrets Manager, as ECS does for containers.

    Lambda has no such injection, and a secret in a function's plain environment would show in
    its configuration. VIDEOFORGE_SECRETS names each variable's secret (its ARN, and the JSON
    field to take when the secret is a JSON object); a variable already set is left alone.
    Returns the names filled in.
    """
    spec = environ.get(SECRETS_ENV)
    if not spec:
        return []
    try:
        wanted = json.loads(spec)
        refs = {str(name): (ref["arn"], ref.get("field")) for name, ref in wanted.items()}
    except (ValueError, AttributeError, KeyError, TypeError):
        raise SecretsError(
            f'{SECRETS_ENV} must be a JSON object {{"NAME": {{"arn": ..., "field": ...}}}}'
        ) from None
    if client is None:
        import boto3

        client = boto3.client("secretsmanager")
    filled = []
    for name, (arn, field) in refs.items():
        if name in environ:
            continue
        try:
            value = client.get_secret_value(SecretId=arn)["SecretString"]
            if field:
                value = json.loads(value)[field]
        except Exception as exc:
            raise SecretsError(
                f"{name}: could not read {arn}{f' (field {field})' if field else ''} from "
                f"Secrets Manager: {exc}; check the ARN and that the function's role may "
                "secretsmanager:GetSecretValue on it"
            ) from exc
        environ[name] = str(value)
        filled.append(name)
    return filled


class RestorePrefix:
    """Put back the `/api/...` prefix (and drop a stage name) that API Gateway may strip or add.

    A REST API resource `/api/gallery/{proxy+}` mapped under a custom domain, or a `{proxy+}`
    route on its own, hands the function `/videos` where the app answers `/api/gallery/videos`.
    The prefix comes from the route the event names (`resource`, or `routeKey` for HTTP APIs)
    when that is one of this role's prefixes, else it is the role's first prefix.
    """

    def __init__(self, app: ASGIApp, prefixes: tuple[str, ...]) -> None:
        self.app = app
        self.prefixes = prefixes
        self.known = prefixes + COMMON_PATHS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not _under(scope["path"], self.known):
            event = scope.get("aws.event") or {}
            path = _without_stage(scope["path"], event)
            if path == "/health":  # the original's health path, on each service
                path = "/api/health"
            elif not _under(path, self.known):
                path = self._prefix_for(event) + path
            scope = {**scope, "path": path, "raw_path": None}
        await self.app(scope, receive, send)

    def _prefix_for(self, event: dict[str, Any]) -> str:
        route = event.get("resource") or event.get("routeKey") or ""
        route_path = route.split(" ", 1)[-1].split("{", 1)[0].rstrip("/")
        return route_path if route_path in self.prefixes else self.prefixes[0]


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(under(path, prefix) for prefix in prefixes)


def _without_stage(path: str, event: dict[str, Any]) -> str:
    """HTTP APIs with a named stage put it in front of the path (`/prod/api/...`)."""
    stage = (event.get("requestContext") or {}).get("stage")
    if stage and stage != "$default" and path.startswith(f"/{stage}/"):
        return path[len(stage) + 1 :]
    return path
