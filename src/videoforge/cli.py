"""The `videoforge` command: serve, worker, db, users, dlq."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from videoforge.config import Settings, SettingsError, load_settings
from videoforge.deploy_aws import deploy_app
from videoforge.role_specs import ROLE_NAMES

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from videoforge.db import User

app = typer.Typer(help="VideoForge: a self-hostable video platform.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
users_app = typer.Typer(help="User accounts.", no_args_is_help=True)
dlq_app = typer.Typer(help="The dead-letter queue of jobs that failed every attempt.")
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(dlq_app, name="dlq")
keys_app = typer.Typer(help="Token signing keys.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
app.add_typer(deploy_app, name="deploy")

err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


def settings_or_exit(**overrides: Any) -> Settings:
    """Load settings; on problems print every one with its fix and exit 2 (never a traceback)."""
    try:
        return load_settings(**{k: v for k, v in overrides.items() if v is not None})
    except SettingsError as exc:
        err.print("[bold red]VideoForge cannot start: the configuration has problems.[/]")
        for problem in exc.problems:
            err.print(f"  • {problem}", markup=False, highlight=False)
        err.print("Set these as environment variables or in a .env file, then start again.")
        raise typer.Exit(2) from None


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    roles: Annotated[
        str | None,
        typer.Option(help=f"Comma-separated roles to run: all, {', '.join(ROLE_NAMES)}."),
    ] = None,
) -> None:
    """Start the platform (by default every role, with workers, in this one process)."""
    settings = settings_or_exit(roles=roles)

    import uvicorn

    from videoforge.app import create_app
    from videoforge.logs import configure_logging

    configure_logging(settings)
    err.print(
        f"VideoForge on http://{host}:{port}  (roles: {', '.join(sorted(settings.enabled_roles))};"
        f" data: {settings.data_dir.resolve()})"
    )
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_config=None,
        timeout_graceful_shutdown=10,
        proxy_headers=False,  # X-Forwarded-For only from VIDEOFORGE_TRUSTED_PROXIES (app.py)
    )


@app.command()
def worker() -> None:
    """Run transcoding workers only (no HTTP), until SIGTERM or Ctrl-C."""
    from videoforge.context import build_context
    from videoforge.logs import configure_logging
    from videoforge.roles import ROLES, Services

    settings = settings_or_exit()
    configure_logging(settings)
    ctx = build_context(settings)
    services = Services(ctx, [ROLES["processor"]])
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())
    err.print(f"VideoForge worker running {settings.worker_concurrency} job(s) at a time")
    services.start()
    # Short waits, so that the main thread gets to run signal handlers promptly.
    while not stopping.wait(0.5):
        pass
    services.stop()
    ctx.close()


@app.command()
def doctor() -> None:
    """Check settings and every connection; print each problem with its fix."""
    from videoforge.doctor import diagnose

    settings = settings_or_exit()
    findings = diagnose(settings)
    table = Table("check", "result", "detail")
    for finding in findings:
        result = "[green]ok[/]" if finding.ok else "[red]problem[/]"
        table.add_row(finding.check, result, finding.detail)
    out.print(table)
    problems = [f for f in findings if not f.ok]
    if problems:
        err.print(f"[bold red]{len(problems)} problem(s):[/]")
        for problem in problems:
            err.print(f"  • {problem.check}: {problem.detail}", markup=False, highlight=False)
            err.print(f"    Fix: {problem.fix}", markup=False, highlight=False)
        raise typer.Exit(1)
    out.print("Everything VideoForge needs answers.")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the database schema to the newest version."""
    from videoforge.db import make_engine, migrate

    settings = settings_or_exit()
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    engine.dispose()
    out.print("Database schema is up to date.")


@users_app.command("create")
def users_create(
    username: str,
    email: str,
    password: Annotated[
        str | None,
        typer.Option(
            envvar="VIDEOFORGE_NEW_USER_PASSWORD",
            show_envvar=True,
            help="The password. When not given: asked for at a terminal; without one (a script, "
            "a container), a strong password is made and printed once.",
        ),
    ] = None,
    admin: Annotated[bool, typer.Option("--admin", help="Give the user the admin role.")] = False,
) -> None:
    """Create a user account (with --admin, an administrator)."""
    import secrets

    from videoforge.auth.service import create_user
    from videoforge.context import build_context
    from videoforge.errors import VideoForgeError

    made_up = password is None and not sys.stdin.isatty()
    if password is None:
        password = (
            secrets.token_urlsafe(18)
            if made_up
            else typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        )

    ctx = build_context(settings_or_exit())
    try:
        with ctx.sessions() as db:
            user = create_user(
                db,
                username=username,
                email=email,
                password=password,
                role="admin" if admin else "user",
                email_confirmed=True,  # an administrator made it: no code to wait for
            )
            db.commit()
    except VideoForgeError as exc:
        err.print(f"[red]{exc.message}[/]")
        raise typer.Exit(1) from None
    finally:
        ctx.close()
    out.print(f"Created {user.role} {user.username} ({user.id}).")
    if made_up:
        out.print(
            f"Its password (shown this once; change it on the Account page): {password}",
            highlight=False,
        )


def _change_user(name: str, change: Callable[[Session, User], None]) -> User:
    """Apply `change` to the account a username or email names; exit 1 if there is none."""
    from videoforge.auth.service import find_user
    from videoforge.context import build_context
    from videoforge.errors import VideoForgeError

    ctx = build_context(settings_or_exit())
    try:
        with ctx.sessions() as db:
            user = find_user(db, name)
            if user is None:
                err.print(f"[red]No account is called {name}.[/]", highlight=False)
                raise typer.Exit(1)
            change(db, user)
            return user
    except VideoForgeError as exc:
        err.print(f"[red]{exc.message}[/]")
        raise typer.Exit(1) from None
    finally:
        ctx.close()


@users_app.command("list")
def users_list() -> None:
    """Show every account with its role and state."""
    from sqlalchemy import select

    from videoforge.auth.mfa import totp_enabled
    from videoforge.context import build_context
    from videoforge.db import User

    ctx = build_context(settings_or_exit())
    with ctx.sessions() as db:
        users = db.scalars(select(User).order_by(User.created_at)).all()
    ctx.close()
    table = Table("username", "email", "role", "state", "mfa", "id")
    for user in users:
        state = "disabled" if user.disabled else "active"
        if not user.email_confirmed:
            state += ", unconfirmed"
        mfa = "on" if totp_enabled(user) else ("required" if user.mfa_required else "off")
        table.add_row(user.username, user.email, user.role, state, mfa, user.id)
    out.print(table)


@users_app.command("disable")
def users_disable(
    name: Annotated[str, typer.Argument(help="Username or email.")],
    enable: Annotated[bool, typer.Option("--enable", help="Re-enable instead.")] = False,
) -> None:
    """Disable an account (its sessions end at once), or with --enable turn it back on."""
    from videoforge.auth.service import set_disabled

    user = _change_user(name, lambda db, u: set_disabled(db, user=u, disabled=not enable))
    out.print(f"{user.username} is {'enabled' if enable else 'disabled'}.")


@users_app.command("set-role")
def users_set_role(
    name: Annotated[str, typer.Argument(help="Username or email.")],
    role: Annotated[str, typer.Argument(help="user or admin.")],
) -> None:
    """Give an account the user or admin role."""
    from videoforge.auth.service import set_role

    user = _change_user(name, lambda db, u: set_role(db, user=u, role=role))
    out.print(f"{user.username} is now {user.role}.")


@keys_app.command("rotate")
def keys_rotate() -> None:
    """Add a new token signing key. It signs from now on; tokens signed before still verify
    (running servers pick the new key up by themselves), so nobody is signed out."""
    from videoforge.signing_keys import KeyStore

    settings = settings_or_exit()
    key = KeyStore(settings.data_dir / "keys").add_signing_key()
    out.print(f"New signing key {key.kid}; earlier keys keep verifying the tokens they signed.")


@dlq_app.command("list")
def dlq_list(limit: int = 100) -> None:
    """Show jobs in the dead-letter queue with their last error."""
    from videoforge.context import build_context

    ctx = build_context(settings_or_exit())
    dead = ctx.queue.list_dead(limit=limit)
    ctx.close()
    if not dead:
        out.print("The dead-letter queue is empty.")
        return
    table = Table("message", "job", "video", "receives", "last error", "since")
    for letter in dead:
        table.add_row(
            letter.id,
            str(letter.body.get("jobId")),
            str(letter.body.get("videoId")),
            str(letter.receive_count),
            letter.last_error or "",
            letter.created_at.isoformat(),
        )
    out.print(table)


@dlq_app.command("redrive")
def dlq_redrive(
    ids: Annotated[list[str] | None, typer.Argument(help="Message ids; all when omitted.")] = None,
) -> None:
    """Move dead letters back to the job queue so workers try them again."""
    from videoforge.admin.service import redrive
    from videoforge.context import build_context

    ctx = build_context(settings_or_exit())
    with ctx.sessions() as db:
        moved = redrive(db, queue=ctx.queue, ids=ids or None)
    ctx.close()
    out.print(f"Redrove {moved} message(s) to the job queue.")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
