"""Sending mail: over SMTP (MAIL_SERVER, MAIL_PORT, MAIL_FROM), or, when MAIL_SERVER is empty
(development), written to the log so the message can be read there."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

SMTP_TIMEOUT_SECONDS = 10


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message to one address."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    server = current_app.config.get("MAIL_SERVER") or ""
    if not server:
        current_app.logger.info("MAIL_SERVER is not set; this mail was not sent:\n%s", message)
        return
    port = int(current_app.config.get("MAIL_PORT") or 25)
    with smtplib.SMTP(server, port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        smtp.send_message(message)
