"""The only code that talks SMTP. Without ``SMTP_HOST``, messages become ``.eml`` files.

Messages are built with the standard library's ``EmailMessage``. Its default policy refuses line
breaks in header values, but an encoded word (``=?utf-8?q?=0D=0A?=``, in a circle's name, say)
decodes to one, which Pythons before 3.11.10 and 3.12.5 write out as a new header (CVE-2024-6923).
``POLICY`` refuses to write any header that would break into two, and a message goes to exactly one
address, so no user input can inject a header or a recipient.
"""

import logging
import re
import smtplib
import ssl
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, g

log = logging.getLogger(__name__)


#: A line break not followed by the space or tab of a folded header line.
_UNFOLDED_BREAK = re.compile(r"\r\n[^ \t]|\r[^ \n\t]|\n[^ \t]")


class HeaderInjectionError(ValueError):
    pass


class _Policy(EmailPolicy):
    """The default policy, checking every header it writes (as Python 3.11.10 does itself)."""

    def fold(self, name, value):
        return self._checked(name, super().fold(name, value))

    def fold_binary(self, name, value):
        folded = super().fold_binary(name, value)
        self._checked(name, folded.decode("utf-8", "surrogateescape"))
        return folded

    def _checked(self, name: str, folded: str) -> str:
        if _UNFOLDED_BREAK.search(folded.removesuffix(self.linesep)):
            raise HeaderInjectionError(f"the {name} header would contain a line break")
        return folded


POLICY = _Policy()


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
    message = EmailMessage(policy=POLICY)
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    if len(message["To"].addresses) != 1:
        raise ValueError("a message goes to exactly one address")
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


def _connect() -> smtplib.SMTP:
    config = current_app.config
    smtp = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30)
    try:
        if config["SMTP_STARTTLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["SMTP_USERNAME"]:
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
    except Exception:
        smtp.close()
        raise
    return smtp


@contextmanager
def session():
    """Keep one SMTP connection open for the messages sent inside (a delivery pass); a failed
    send drops it, and the next message connects afresh."""
    g.smtp_session = []
    try:
        yield
    finally:
        for smtp in g.pop("smtp_session"):
            with suppress(smtplib.SMTPException, OSError):
                smtp.quit()


def _send_smtp(message: EmailMessage) -> None:
    shared = g.get("smtp_session")
    if shared is None:
        with _connect() as smtp:
            smtp.send_message(message)
        return
    if not shared:
        shared.append(_connect())
    try:
        shared[0].send_message(message)
    except Exception:
        with suppress(smtplib.SMTPException, OSError):
            shared.pop().close()
        raise


def send(message: EmailMessage) -> str:
    """Send over SMTP, or write an ``.eml`` file in development. Returns the Message-ID."""
    config = current_app.config
    if config["SMTP_HOST"]:
        _send_smtp(message)
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
