"""The only code that talks SMTP. Without ``SMTP_HOST``, messages become ``.eml`` files.

Messages are built with the standard library's ``EmailMessage`` under the strict default policy,
which refuses line breaks in header values, so no user input can inject a header.
"""

import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)


@dataclass
class Attachment:
    filename: str
    content: bytes
    maintype: str
    subtype: str
    params: dict = field(default_factory=dict)


def build_message(
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    *,
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[Attachment] = (),
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id or make_msgid(domain=_mail_domain())
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for attachment in attachments:
        message.add_attachment(
            attachment.content,
            maintype=attachment.maintype,
            subtype=attachment.subtype,
            filename=attachment.filename,
            params=attachment.params,
        )
    return message


def message_id(local_part: str) -> str:
    """A Message-ID under our own domain, e.g. for one that must stay the same on a resend."""
    return f"<{local_part}@{_mail_domain()}>"


def _mail_domain() -> str:
    sender = current_app.config["MAIL_FROM"]
    return sender.rsplit("@", 1)[-1].rstrip(">").strip() or "leerkring.localhost"


def send(message: EmailMessage) -> str:
    """Send over SMTP, or write an ``.eml`` file in development. Returns the Message-ID."""
    config = current_app.config
    if config["SMTP_HOST"]:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["SMTP_USERNAME"]:
                smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
            smtp.send_message(message)
    else:
        directory = Path(config["MAIL_DIRECTORY"])
        directory.mkdir(parents=True, exist_ok=True)
        name = message["Message-ID"].strip("<>").replace("/", "_").replace("@", "_at_")
        path = directory / f"{name}.eml"
        path.write_bytes(bytes(message))
        log.info("Mail written to %s (subject: %s)", path, message["Subject"])
    return message["Message-ID"]


def send_mail(to: str, subject: str, text: str, html: str | None = None, **kwargs) -> str:
    return send(build_message(to, subject, text, html, **kwargs))
