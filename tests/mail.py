"""A real SMTP server in the test process (aiosmtpd) that keeps what it receives, for the
tests of mail the app sends: reset links, invitations."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def settings(self) -> dict[str, Any]:
        """The app settings that send mail here."""
        return {
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": self.port,
            "MAIL_FROM": "quiz@school.example",
        }


@contextmanager
def smtp_server() -> Iterator[Inbox]:
    inbox = Inbox()
    with socket.socket() as probe:  # a free port: Controller checks its port by connecting
        probe.bind(("127.0.0.1", 0))
        inbox.port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def link_in(message: EmailMessage, path: str) -> str:
    """The first link in the message's body whose path starts with ``path``, as sent."""
    body = message.get_content()  # decoded: long links travel quoted-printable
    match = re.search(rf"https?://[^/\s]+({re.escape(path)}\S*)", body)
    assert match, body
    return match.group(0)
