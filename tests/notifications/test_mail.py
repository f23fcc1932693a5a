"""Reminder mail as the SMTP server receives it: multipart, a Message-ID per delivery, the
unsubscribe headers; no way to inject a header; TLS and login when configured."""

import ssl
import subprocess
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from leerkring import mail
from leerkring.notifications import outbox, preferences
from leerkring.notifications.models import Delivery, DeliveryStatus
from tests import factories as f
from tests.conftest import Mailbox, free_port
from tests.notifications.outbox_kind import KIND, T0, deliver, deliveries, make_users, plan

EVIL = "\r\nBcc: evil@example.org"


class Recorder:
    """An SMTP handler that keeps each message with its envelope and can refuse the next one."""

    def __init__(self):
        self.received = []  # (envelope recipients, message)
        self.connections = []  # the SMTP session each message came in on
        self.logins = []
        self.refusals = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        self.connections.append(id(session))
        return self.refusals.pop(0) if self.refusals else "250 Message accepted"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.logins.append((mechanism, auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret")

    @property
    def recipients(self):
        return [address for rcpt_tos, _ in self.received for address in rcpt_tos]


@pytest.fixture
def recording_smtp(app):
    """A second SMTP server the app sends to instead of the ``mailbox``; yields its Recorder."""
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config["SMTP_PORT"] = controller.port
    yield recorder
    controller.stop()


def send_one(app, reminders, **user):
    """One reminder, due now, to a new user; returns the user and the delivery pass's report."""
    member = f.make_user(**user)
    reminders.want(member, T0)
    plan(app, T0)
    return member, deliver(app, T0)


# What a reminder mail looks like --------------------------------------------------------------


def test_a_reminder_is_multipart_text_and_html_with_the_right_headers(app, reminders, mailbox):
    user, report = send_one(app, reminders, name="Ann <b>de Vries</b>")
    (message,) = mailbox.messages
    (row,) = deliveries()

    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain", "text/html"]
    assert (message["From"], message["To"], message["Subject"]) == (
        app.config["MAIL_FROM"], user.email, "Your reminder")
    assert message["Date"]
    text = Mailbox.text(message)
    html = message.get_body(preferencelist=("html",)).get_content()
    line = f"Reminder once for user {user.id}"
    assert line in text and f"<p>{line}</p>" in html
    assert "http://leerkring.test/notifications/" in text
    assert 'href="http://leerkring.test/notifications/"' in html
    assert "Ann &lt;b&gt;de Vries&lt;/b&gt;" in html and "<b>de" not in html

    assert message["Message-ID"] == row.message_id
    assert row.message_id == f"<delivery.{row.id}.{KIND}@leerkring.localhost>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://leerkring.test/notifications/unsubscribe/")
    assert unsubscribe.endswith(">") and unsubscribe[1:-1] in text and unsubscribe[1:-1] in html
    token = unsubscribe[1:-1].rsplit("/", 1)[1]
    assert preferences.read_unsubscribe_token(token) == (user.id, KIND)


def test_the_message_id_is_the_same_on_a_retry(app, reminders, recording_smtp):
    recording_smtp.refusals.append("451 4.3.0 Try again later")
    user, report = send_one(app, reminders)
    assert report.retrying == 1
    assert "451" in deliveries()[0].last_error
    assert len(deliver(app, T0 + timedelta(minutes=1)).sent) == 1

    (row,) = deliveries()
    first, second = (message for _, message in recording_smtp.received)
    assert first["Message-ID"] == second["Message-ID"] == row.message_id
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 2)
    assert "Your reminder" not in row.last_error


def test_a_delivery_pass_sends_over_one_connection_and_reconnects_after_a_failure(
    app, reminders, recording_smtp
):
    users = make_users(4)
    for user in users:
        reminders.want(user, T0)
    plan(app, T0)
    recording_smtp.refusals.extend(["250 Message accepted", "554 5.0.0 Refused"])
    report = deliver(app, T0)

    assert (len(report.sent), report.retrying) == (3, 1)
    assert len(recording_smtp.connections) == 4
    first, refused, *after = recording_smtp.connections
    assert refused == first  # one connection until a send fails …
    assert len(set(after)) == 1 and after[0] != first  # … then a fresh one for the rest


def test_the_message_id_names_the_delivery_under_the_senders_domain(app):
    app.config["MAIL_FROM"] = "Leerkring <noreply@werkplaatsen.example>"
    first, second = (Delivery(id=n, kind="meeting_soon") for n in (7, 8))
    assert outbox.message_id(first) == "<delivery.7.meeting_soon@werkplaatsen.example>"
    assert outbox.message_id(first) == outbox.message_id(first) != outbox.message_id(second)


# Header injection -----------------------------------------------------------------------------


@pytest.mark.parametrize("subject", [
    "Reminder" + EVIL,
    "Reminder\nBcc: evil@example.org",
    # An encoded word that decodes to a line break (Python before 3.11.10 wrote it out as one).
    "Reminder =?utf-8?q?for_you=0D=0ABcc:_evil@example.org?=",
])
def test_a_subject_cannot_inject_a_header(app, reminders, recording_smtp, subject):
    reminders.subject = subject
    user, report = send_one(app, reminders)
    assert (report.sent, report.retrying) == ([], 1)
    assert recording_smtp.received == []
    (row,) = deliveries()
    assert row.last_error.startswith(("ValueError", "HeaderInjectionError"))
    assert "evil" not in row.last_error


def test_an_address_cannot_inject_a_header_or_a_recipient(app, reminders, recording_smtp):
    for address in (f"victim@example.org{EVIL}", "victim@example.org, evil@example.org"):
        with pytest.raises(ValueError), app.test_request_context():
            mail.send_mail(address, "Subject", "Text")
    assert recording_smtp.received == []


def test_extra_headers_cannot_inject_a_header(app, recording_smtp):
    with app.test_request_context():
        for value in ("x" + EVIL, "=?utf-8?q?x=0D=0ABcc:_evil@example.org?="):
            with pytest.raises(ValueError):
                mail.send_mail("victim@example.org", "Subject", "Text", headers={"X-Note": value})
    assert recording_smtp.received == []


def test_a_name_with_line_breaks_stays_in_the_body(app, reminders, recording_smtp):
    user, report = send_one(app, reminders, name="Ann" + EVIL)
    assert len(report.sent) == 1
    ((recipients, message),) = recording_smtp.received
    assert recipients == [user.email]
    assert "Bcc" not in message and "evil@example.org" not in str(message["To"])


def test_the_development_mail_file_is_written_with_the_same_checks(app, tmp_path):
    app.config["SMTP_HOST"] = None
    with app.test_request_context():
        message_id = mail.send_mail("ann@example.org", "Subject", "Text",
                                    message_id="<delivery.1.x@leerkring.localhost>")
        with pytest.raises(ValueError):
            mail.send_mail("ann@example.org", "=?utf-8?q?x=0ABcc:_evil@example.org?=", "Text")
    (written,) = (tmp_path / "mail").iterdir()
    assert written.name == "delivery.1.x_at_leerkring.localhost.eml"
    parsed = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert parsed["Message-ID"] == message_id and parsed["Subject"] == "Subject"


# TLS and login --------------------------------------------------------------------------------


AUTH_WITHOUT_TLS = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@AUTH_WITHOUT_TLS
def test_login_is_used_when_a_username_is_configured(app, reminders):
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port(),
                            authenticator=recorder.authenticate, auth_require_tls=False,
                            auth_required=True)
    controller.start()
    try:
        app.config.update(SMTP_PORT=controller.port, SMTP_USERNAME="leerkring",
                          SMTP_PASSWORD="s3cret")
        user, report = send_one(app, reminders)
    finally:
        controller.stop()
    assert len(report.sent) == 1
    assert [(login, password) for _, login, password in recorder.logins] == [
        (b"leerkring", b"s3cret")]
    assert [recipients for recipients, _ in recorder.received] == [[user.email]]


@AUTH_WITHOUT_TLS
def test_without_login_a_server_that_requires_it_refuses(app, reminders):
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port(),
                            authenticator=recorder.authenticate, auth_require_tls=False,
                            auth_required=True)
    controller.start()
    try:
        app.config["SMTP_PORT"] = controller.port
        with app.test_request_context(), pytest.raises(mail.smtplib.SMTPException):
            mail.send_mail("ann@example.org", "Subject", "Text")
    finally:
        controller.stop()
    assert recorder.received == []


def test_starttls_is_required_when_configured(app, recording_smtp):
    """A server that offers no STARTTLS gets nothing in the clear."""
    app.config["SMTP_STARTTLS"] = True
    with app.test_request_context(), pytest.raises(mail.smtplib.SMTPNotSupportedError):
        mail.send_mail("ann@example.org", "Subject", "Text")
    assert recording_smtp.received == []


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1 (made with the openssl command)."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    try:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
             "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True, timeout=60,
        )
    except (OSError, subprocess.SubprocessError) as error:
        pytest.skip(f"no openssl command to make a test certificate ({error})")
    return key, cert


def test_starttls_and_login_with_a_verified_certificate(app, reminders, certificate, monkeypatch):
    key, cert = certificate
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    trusting = ssl.create_default_context(cafile=str(cert))
    # The mail module verifies certificates with the system's roots; here it trusts the test's.
    monkeypatch.setattr(mail.ssl, "create_default_context", lambda: trusting)
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port(),
                            tls_context=server_context, require_starttls=True,
                            authenticator=recorder.authenticate, auth_required=True)
    controller.start()
    try:
        app.config.update(SMTP_PORT=controller.port, SMTP_STARTTLS=True,
                          SMTP_USERNAME="leerkring", SMTP_PASSWORD="s3cret")
        user, report = send_one(app, reminders)
    finally:
        controller.stop()
    assert len(report.sent) == 1
    assert [login for _, login, _ in recorder.logins] == [b"leerkring"]
    assert [recipients for recipients, _ in recorder.received] == [[user.email]]
