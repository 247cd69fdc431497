"""Sending mail (confirmation, password-reset and sign-in codes).

`SmtpMailer` when VIDEOFORGE_SMTP_HOST is set; otherwise `LogMailer`, which logs each message,
keeps the latest in memory (tests read them) and writes them to `data_dir/mail/*.eml`, so a
person running VideoForge on their own machine can read their codes there.
"""

from __future__ import annotations

import logging
import smtplib
from collections import deque
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from videoforge.config import Settings
from videoforge.db import new_id

log = logging.getLogger(__name__)


class Mailer(Protocol):
    def send(self, *, to: str, subject: str, body: str) -> None: ...


def compose(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Date"] = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    message.set_content(body)
    return message


class LogMailer:
    """Mail for a machine with no mail server: logged, kept, and written as .eml files."""

    def __init__(self, directory: Path, sender: str, keep: int = 50) -> None:
        self.directory = directory
        self.sender = sender
        self.sent: deque[EmailMessage] = deque(maxlen=keep)

    def send(self, *, to: str, subject: str, body: str) -> None:
        message = compose(self.sender, to, subject, body)
        self.sent.append(message)
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        path = self.directory / f"{stamp}-{new_id()[:8]}.eml"
        path.write_bytes(message.as_bytes())
        # The body goes to the log too: on a machine without mail, that is where a person
        # running VideoForge reads their confirmation code.
        log.info(
            "Mail to %s (no SMTP server configured; saved as %s):\n%s\n%s", to, path, subject, body
        )

    def last_to(self, address: str) -> EmailMessage | None:
        """The newest kept message to `address`, if any."""
        message: EmailMessage
        for message in reversed(self.sent):
            if message["To"] == address:
                return message
        return None


class SmtpMailer:
    """Mail over SMTP, with STARTTLS and login when configured."""

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = True,
    ) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password, self.starttls = username, password, starttls

    def send(self, *, to: str, subject: str, body: str) -> None:
        message = compose(self.sender, to, subject, body)
        with smtplib.SMTP(self.host, self.port, timeout=30) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


def build_mailer(settings: Settings) -> Mailer:
    if settings.smtp_host:
        return SmtpMailer(
            settings.smtp_host,
            settings.smtp_port,
            settings.mail_from,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
        )
    return LogMailer(settings.data_dir / "mail", settings.mail_from)
