"""Settings from the environment (prefix VIDEOFORGE_) and an optional .env file.

Every problem is collected and reported at once, each with a fix, by `load_settings`.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings import SettingsError as SourceError
from sqlalchemy.engine import URL

from videoforge.role_specs import ROLE_NAMES, RoleSpec, remote_peers


class Settings(BaseSettings):
    """Everything VideoForge can be told. Defaults run the whole platform on one machine."""

    model_config = SettingsConfigDict(
        env_prefix="VIDEOFORGE_", env_file=".env", extra="ignore", populate_by_name=True
    )

    # Where everything lives by default: SQLite database, object store, work files, keys.
    data_dir: Path = Path("./var")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default sqlite:///<data_dir>/videoforge.db",
    )
    # The original's separate database settings, used when database_url is not given.
    db_host: str | None = Field(
        default=None, validation_alias=AliasChoices("VIDEOFORGE_DB_HOST", "DB_HOST")
    )
    db_port: int = Field(
        default=5432, validation_alias=AliasChoices("VIDEOFORGE_DB_PORT", "DB_PORT")
    )
    db_name: str | None = Field(
        default=None, validation_alias=AliasChoices("VIDEOFORGE_DB_NAME", "DB_NAME")
    )
    db_user: str | None = Field(
        default=None, validation_alias=AliasChoices("VIDEOFORGE_DB_USER", "DB_USER")
    )
    db_password: str | None = Field(
        default=None, validation_alias=AliasChoices("VIDEOFORGE_DB_PASSWORD", "DB_PASSWORD")
    )

    # Object store: local disk under data_dir, or any S3-compatible store.
    store: Literal["local", "s3"] = "local"
    s3_bucket_name: str | None = Field(
        default=None, validation_alias=AliasChoices("VIDEOFORGE_S3_BUCKET_NAME", "S3_BUCKET_NAME")
    )
    s3_prefix: str = ""
    s3_endpoint_url: str | None = Field(
        default=None, validation_alias=AliasChoices("VIDEOFORGE_S3_ENDPOINT_URL", "S3_ENDPOINT_URL")
    )
    aws_region: str = Field(
        default="us-east-1", validation_alias=AliasChoices("VIDEOFORGE_AWS_REGION", "AWS_REGION")
    )

    # Job queue: in the database, or SQS with a dead-letter queue.
    queue: Literal["database", "sqs"] = "database"
    sqs_queue_url: str | None = Field(
        default=None, validation_alias=AliasChoices("VIDEOFORGE_SQS_QUEUE_URL", "SQS_QUEUE_URL")
    )
    sqs_dlq_url: str | None = Field(
        default=None, validation_alias=AliasChoices("VIDEOFORGE_SQS_DLQ_URL", "SQS_DLQ_URL")
    )
    sqs_endpoint_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("VIDEOFORGE_SQS_ENDPOINT_URL", "SQS_ENDPOINT_URL"),
    )

    roles: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["all"])
    public_url: str | None = Field(
        default=None, description="Base URL viewers reach the gateway at, for absolute links"
    )

    # Where the gateway reaches roles that run in other processes (the original's names work).
    gallery_service_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("VIDEOFORGE_GALLERY_SERVICE_URL", "GALLERY_SERVICE_URL"),
    )
    streaming_service_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("VIDEOFORGE_STREAMING_SERVICE_URL", "STREAMING_SERVICE_URL"),
    )
    auth_service_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("VIDEOFORGE_AUTH_SERVICE_URL", "AUTH_SERVICE_URL"),
    )

    # Accounts
    jwt_secret: str | None = Field(
        default=None,
        validation_alias=AliasChoices("VIDEOFORGE_JWT_SECRET", "JWT_SECRET"),
        description="Secret that signs media links; shared by every process of a deployment. "
        "Generated and kept in data_dir when unset (fine when all processes share that dir)",
    )
    signing_key_pem: str | None = Field(
        default=None,
        description="ES256 (P-256) private key in PEM that signs access tokens. Give the same key "
        "to every process when they share no data_dir (separate machines, Lambda); when unset, "
        "keys are made and kept in data_dir/keys",
    )
    access_token_ttl_seconds: int = Field(default=900, gt=0)
    refresh_token_ttl_seconds: int = Field(default=30 * 24 * 3600, gt=0)

    require_email_confirmation: bool = Field(
        default=True, description="New accounts confirm their email with a code before signing in"
    )
    require_mfa: bool = Field(
        default=False, description="Every account must use a second factor (enrols at next sign-in)"
    )
    # Failed sign-ins and code checks one address may make on one account in a window (the
    # account-wide and address-wide ceilings are multiples of it: auth/throttle.py).
    auth_max_attempts: int = Field(default=10, ge=1)
    auth_attempt_window_seconds: int = Field(default=15 * 60, gt=0)
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Addresses or networks (CIDR) of the reverse proxies in front of VideoForge, "
        "comma-separated: only from them is X-Forwarded-For believed. None by default",
    )

    # Mail (codes for sign-up, password reset, second factor); logged to data_dir/mail when no host.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, gt=0)
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    mail_from: str = "VideoForge <no-reply@localhost>"

    # An external identity provider whose access tokens are accepted (AWS Cognito or any OIDC).
    cognito_user_pool_id: str | None = Field(
        default=None,
        validation_alias=AliasChoices("VIDEOFORGE_COGNITO_USER_POOL_ID", "COGNITO_USER_POOL_ID"),
    )
    cognito_client_id: str | None = Field(
        default=None,
        validation_alias=AliasChoices("VIDEOFORGE_COGNITO_CLIENT_ID", "COGNITO_CLIENT_ID"),
    )
    cognito_region: str | None = Field(
        default=None,
        validation_alias=AliasChoices("VIDEOFORGE_COGNITO_REGION", "COGNITO_REGION"),
        description="Default: the region in the user pool id (e.g. eu-west-1_AbC)",
    )
    cognito_domain: str | None = Field(
        default=None,
        validation_alias=AliasChoices("VIDEOFORGE_COGNITO_DOMAIN", "COGNITO_DOMAIN"),
        description="Base URL of the user pool's hosted UI, e.g. "
        "https://videoforge-abc.auth.eu-west-1.amazoncognito.com; with it the web app offers "
        "sign-in through Cognito",
    )
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_jwks_url: str | None = Field(
        default=None, description="Default: jwks_uri from the issuer's openid-configuration"
    )
    oidc_client_id: str | None = Field(
        default=None,
        description="The public client (no secret) the web app signs in with at the OIDC "
        "issuer; with it the web app offers sign-in there (Cognito uses COGNITO_CLIENT_ID)",
    )
    oidc_scopes: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["openid", "email", "profile"],
        description="Scopes the web app asks the provider (Cognito or OIDC) for",
    )
    oidc_provider_name: str | None = Field(
        default=None,
        description='Shown as "Sign in with <name>"; default Cognito, or the issuer\'s host name',
    )

    media_url_ttl_seconds: int = Field(
        default=6 * 3600, gt=0, description="How long a signed playlist/segment/picture URL works"
    )
    # CloudFront in front of the S3 bucket: segments and pictures are then redirected to
    # CloudFront signed URLs instead of presigned S3 URLs (the distribution's origin is the bucket).
    cdn_domain: str | None = Field(
        default=None, description="e.g. d111111abcdef8.cloudfront.net (with the two below)"
    )
    cdn_key_pair_id: str | None = Field(
        default=None, description="Id of the CloudFront public key in the trusted key group"
    )
    cdn_private_key_path: Path | None = Field(
        default=None, description="PEM file of the RSA private key matching cdn_key_pair_id"
    )
    cdn_private_key_pem: str | None = Field(
        default=None,
        description="The same key as PEM text instead of a file (from a secret store; `\\n` "
        "escapes are accepted)",
    )

    # Uploads
    max_upload_bytes: int = Field(default=10 * 1024**3, gt=0)
    tus_max_chunk_bytes: int | None = Field(
        default=None,
        ge=256 * 1024,
        description="The most bytes one tus PATCH may carry (413 past it), announced to clients "
        "in OPTIONS' Tus-Max-Chunk-Size; unset, no limit. Set it where something in front "
        "caps request bodies: 4194304 on AWS Lambda (6 MB per request, after base64)",
    )
    max_duration_seconds: float = Field(default=6 * 3600, gt=0)

    # Queue and workers (SQS semantics)
    queue_visibility_timeout_seconds: float = Field(default=60.0, gt=0)
    queue_max_receives: int = Field(default=3, ge=1)
    queue_poll_seconds: float = Field(default=1.0, gt=0)
    retry_base_seconds: float = Field(default=5.0, ge=0)
    retry_max_seconds: float = Field(default=300.0, ge=0)
    worker_concurrency: int = Field(default=1, ge=1)
    worker_heartbeat_seconds: float = Field(
        default=15.0, gt=0, description="How often a worker process reports that it is alive"
    )

    # The scaling signal (GET /api/scaling): the original's target tracking, 5 messages per
    # worker process, between 1 and 3 of them.
    scaling_target_backlog: float = Field(default=5.0, gt=0)
    scaling_min_workers: int = Field(default=1, ge=0)
    scaling_max_workers: int = Field(default=3, ge=1)

    # Transcoding
    ffmpeg_path: str | None = Field(
        default=None,
        validation_alias=AliasChoices("VIDEOFORGE_FFMPEG_PATH", "FFMPEG_PATH"),
        description="ffmpeg binary; default is the one the imageio-ffmpeg wheel ships",
    )
    ffmpeg_threads: int = Field(default=0, ge=0, description="0 lets ffmpeg choose")
    x264_preset: Literal[
        "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow"
    ] = "veryfast"
    keyframe_seconds: int = Field(default=2, ge=1, le=10)
    segment_seconds: int = Field(
        default=2,
        ge=1,
        le=30,
        description="HLS segment length; short segments start playback sooner",
    )
    chunk_threshold_seconds: float = Field(
        default=120.0,
        gt=0,
        description="Videos longer than this are split into chunks any worker can encode",
    )
    chunk_seconds: float = Field(
        # What bench/chunked.py's simulation favours (README): longer chunks cost less CPU.
        default=60.0,
        gt=0,
        description="Target chunk length, rounded to whole segments",
    )
    chunk_min_count: int = Field(
        # With 60-s chunks a 10-minute video makes 10 chunks, too few to keep 8 workers busy.
        default=16,
        ge=1,
        description="Split into at least this many chunks, each no shorter than chunk_min_seconds",
    )
    chunk_min_seconds: float = Field(
        # Every chunk costs 0.6 CPU-s more (bench/chunked.py): under 2 % of a 20-s chunk.
        default=20.0,
        gt=0,
        description="Shortest chunk made to reach chunk_min_count",
    )
    ladder: Annotated[list[int], NoDecode] = Field(
        default_factory=lambda: [2160, 1440, 1080, 720, 480, 360, 240],
        description="Rung heights (short side), highest first",
    )

    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_json: bool = False

    @field_validator("signing_key_pem")
    @classmethod
    def _readable_key(cls, value: str | None) -> str | None:
        if value is None:
            return value
        from videoforge.signing_keys import SigningKey

        try:
            SigningKey.from_pem(value.replace("\\n", "\n").encode())
        except ValueError:
            raise ValueError(
                "not a P-256 private key in PEM; make one with `openssl genpkey -algorithm EC "
                "-pkeyopt ec_paramgen_curve:P-256`"
            ) from None
        return value.replace("\\n", "\n")

    @field_validator("roles", mode="before")
    @classmethod
    def _split_roles(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("ladder", mode="before")
    @classmethod
    def _split_ladder(cls, value: object) -> object:
        if isinstance(value, str):
            return [part for part in value.replace(" ", "").split(",") if part]
        return value

    @field_validator("oidc_scopes", mode="before")
    @classmethod
    def _split_scopes(cls, value: object) -> object:
        if isinstance(value, str):
            return value.replace(",", " ").split()
        return value

    @field_validator("cognito_domain", "oidc_issuer")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        """An absolute http(s) URL without a trailing slash (a bare host name gets https://)."""
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        if "://" not in value:
            value = f"https://{value}"
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("give the provider's base URL, e.g. https://login.example.com")
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_networks(cls, value: list[str]) -> list[str]:
        wrong = []
        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                wrong.append(entry)
        if wrong:
            raise ValueError(
                f"not an IP address or network: {', '.join(wrong)}; give addresses or CIDR "
                "networks, e.g. 10.0.0.0/16,127.0.0.1"
            )
        return [str(ipaddress.ip_network(entry, strict=False)) for entry in value]

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, value: list[str]) -> list[str]:
        unknown = [r for r in value if r != "all" and r not in ROLE_NAMES]
        if unknown:
            raise ValueError(
                f"unknown role(s) {', '.join(unknown)}; choose from all, {', '.join(ROLE_NAMES)}"
            )
        return value

    @field_validator("ladder")
    @classmethod
    def _sane_ladder(cls, value: list[int]) -> list[int]:
        if not value or any(h < 144 or h > 4320 or h % 2 for h in value):
            raise ValueError("give even rung heights between 144 and 4320, e.g. 1080,720,480")
        return sorted(set(value), reverse=True)

    @field_validator("scaling_max_workers")
    @classmethod
    def _max_not_below_min(cls, value: int, info: ValidationInfo) -> int:
        least = info.data.get("scaling_min_workers")
        if least is not None and value < least:
            raise ValueError(f"must be at least VIDEOFORGE_SCALING_MIN_WORKERS ({least})")
        return value

    @field_validator("segment_seconds")
    @classmethod
    def _keyframes_fit_segments(cls, value: int, info: ValidationInfo) -> int:
        keyframe = info.data.get("keyframe_seconds")
        if keyframe and value % keyframe:
            raise ValueError(
                f"segment_seconds must be a multiple of keyframe_seconds ({keyframe}), "
                "because HLS cuts segments only at keyframes"
            )
        return value

    @field_validator("chunk_seconds", "chunk_min_seconds")
    @classmethod
    def _chunks_hold_segments(cls, value: float, info: ValidationInfo) -> float:
        segment = info.data.get("segment_seconds")
        if segment and value < segment:
            raise ValueError(
                f"{info.field_name} must be at least segment_seconds ({segment}), "
                "because a chunk is a whole number of segments"
            )
        return value

    @property
    def enabled_roles(self) -> set[str]:
        return set(ROLE_NAMES) if "all" in self.roles else set(self.roles)

    def peer_urls(self) -> dict[RoleSpec, str | None]:
        """{role: base URL, None when unset} of each role the enabled ones need from elsewhere
        (on a gateway: every role it does not run itself)."""
        return remote_peers(self.enabled_roles, lambda field: getattr(self, field))

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        if self.db_host:
            return URL.create(
                "postgresql+psycopg",
                username=self.db_user,
                password=self.db_password,
                host=self.db_host,
                port=self.db_port,
                database=self.db_name,
            ).render_as_string(hide_password=False)
        return f"sqlite:///{(self.data_dir / 'videoforge.db').resolve()}"

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"

    @property
    def work_dir(self) -> Path:
        return self.data_dir / "work"


class SettingsError(Exception):
    """All configuration problems, each with how to fix it."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def _env_name(loc: tuple[int | str, ...]) -> str:
    field = str(loc[0]) if loc else "settings"
    return f"VIDEOFORGE_{field.upper()}" if loc else "settings"


def load_settings(**overrides: object) -> Settings:
    """Build Settings, turning validation failures into one SettingsError listing all of them."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = _env_name(err["loc"])
            given = err.get("input")
            shown = "" if isinstance(given, dict) or given is None else f" (got {given!r})"
            message = err["msg"].removeprefix("Value error, ")
            problems.append(f"{name}: {message}{shown}")
        raise SettingsError(problems) from None
    except SourceError as exc:  # a value the environment source itself could not parse
        raise SettingsError([f"{exc}; check the value's format"]) from None
    problems = _check_paths(settings) + _check_backends(settings) + _check_peers(settings)
    problems += _check_cdn(settings) + _check_identity(settings)
    if problems:
        raise SettingsError(problems)
    return settings


def _check_paths(settings: Settings) -> list[str]:
    problems = []
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        if not os.access(settings.data_dir, os.W_OK):
            raise PermissionError
    except OSError:
        problems.append(
            f"VIDEOFORGE_DATA_DIR: cannot write to {settings.data_dir}; "
            "point it at a directory this user can write"
        )
    if settings.ffmpeg_path and not Path(settings.ffmpeg_path).is_file():
        problems.append(
            f"FFMPEG_PATH: {settings.ffmpeg_path} does not exist; "
            "unset it to use the bundled ffmpeg, or give the full path to an ffmpeg binary"
        )
    return problems


def _check_peers(settings: Settings) -> list[str]:
    """A gateway without a role must know where that role runs."""
    problems = []
    for role, base in settings.peer_urls().items():
        if base is None:
            env = (role.peer_url_setting or "").upper()
            problems.append(
                f"{env}: the gateway runs without the {role.name} role, so it must know where "
                f"that role listens; set {env} (or VIDEOFORGE_{env}) to its base URL, "
                f"e.g. http://{role.name}:8000"
            )
    return problems


def _missing(settings: Settings, needed: dict[str, str], why: str) -> list[str]:
    """One problem per unset field in needed ({field: environment name})."""
    return [
        f"{env}: {why}; set {env}" for field, env in needed.items() if not getattr(settings, field)
    ]


def _check_cdn(settings: Settings) -> list[str]:
    if not settings.cdn_domain:
        return []
    why = "VIDEOFORGE_CDN_DOMAIN is set, so VideoForge signs CloudFront URLs and needs it"
    problems = _missing(settings, {"cdn_key_pair_id": "VIDEOFORGE_CDN_KEY_PAIR_ID"}, why)
    if not (settings.cdn_private_key_path or settings.cdn_private_key_pem):
        problems.append(
            f"VIDEOFORGE_CDN_PRIVATE_KEY_PATH: {why}; set it to the PEM file of the private key "
            "(or give the PEM text itself in VIDEOFORGE_CDN_PRIVATE_KEY_PEM)"
        )
    key = settings.cdn_private_key_path
    if key is not None and not key.is_file():
        problems.append(
            f"VIDEOFORGE_CDN_PRIVATE_KEY_PATH: {key} does not exist; give the PEM file of the "
            "private key whose public key is in the distribution's trusted key group"
        )
    if settings.store != "s3":
        problems.append(
            "VIDEOFORGE_CDN_DOMAIN: a CDN serves the S3 bucket; set VIDEOFORGE_STORE=s3 "
            "or unset VIDEOFORGE_CDN_DOMAIN"
        )
    return problems


def _check_backends(settings: Settings) -> list[str]:
    problems = []
    if settings.db_host or settings.db_name or settings.db_user:
        problems += _missing(
            settings,
            {
                "db_host": "DB_HOST",
                "db_name": "DB_NAME",
                "db_user": "DB_USER",
                "db_password": "DB_PASSWORD",
            },
            "the database is given by DB_* settings, and this one is missing "
            "(or give one VIDEOFORGE_DATABASE_URL instead)",
        )
    if settings.store == "s3":
        problems += _missing(
            settings,
            {"s3_bucket_name": "S3_BUCKET_NAME"},
            "VIDEOFORGE_STORE is s3, so VideoForge needs the bucket's name",
        )
    if settings.queue == "sqs":
        problems += _missing(
            settings,
            {"sqs_queue_url": "SQS_QUEUE_URL", "sqs_dlq_url": "SQS_DLQ_URL"},
            "VIDEOFORGE_QUEUE is sqs, so VideoForge needs the job queue and its dead-letter queue",
        )
    return problems


def _check_identity(settings: Settings) -> list[str]:
    """An external identity provider is Cognito or one OIDC issuer, each given whole."""
    problems = []
    cognito = bool(settings.cognito_user_pool_id or settings.cognito_domain)
    if cognito and settings.oidc_issuer:
        problems.append(
            "VIDEOFORGE_OIDC_ISSUER: Cognito (COGNITO_USER_POOL_ID or VIDEOFORGE_COGNITO_DOMAIN) "
            "and an OIDC issuer are both set; VideoForge accepts one external provider, so "
            "unset one of them"
        )
    if cognito:
        problems += _missing(
            settings,
            {
                "cognito_user_pool_id": "COGNITO_USER_POOL_ID",
                "cognito_client_id": "COGNITO_CLIENT_ID",
            },
            "Cognito is configured (its tokens are accepted only from this pool and app client)",
        )
    if settings.oidc_client_id and not settings.oidc_issuer:
        problems.append(
            "VIDEOFORGE_OIDC_ISSUER: VIDEOFORGE_OIDC_CLIENT_ID is set, so the web app signs in "
            "at an OIDC issuer and needs its URL; set VIDEOFORGE_OIDC_ISSUER "
            "(e.g. https://login.example.com/realms/videoforge)"
        )
    if settings.oidc_client_id and cognito:
        problems.append(
            "VIDEOFORGE_OIDC_CLIENT_ID: with Cognito the web app signs in with COGNITO_CLIENT_ID; "
            "unset VIDEOFORGE_OIDC_CLIENT_ID"
        )
    signs_in = settings.cognito_domain or settings.oidc_client_id
    if signs_in and "openid" not in settings.oidc_scopes:
        problems.append(
            "VIDEOFORGE_OIDC_SCOPES: sign-in is an OpenID Connect request, so the scopes must "
            f"include openid (got {' '.join(settings.oidc_scopes) or 'none'})"
        )
    return problems
