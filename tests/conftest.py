"""Fixtures: an app on a freshly migrated database per test, a real SMTP server, a query counter.

The schema always comes from the migrations. Each xdist worker migrates one template database
once; every test then gets a fresh copy of it (a file copy on SQLite, ``CREATE DATABASE …
TEMPLATE`` on PostgreSQL), so no test depends on another's data.
"""

import os
import shutil
import socket
import threading
from contextlib import contextmanager
from email import message_from_bytes, policy

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient
from flask_migrate import upgrade

from leerkring import create_app
from leerkring.config import normalise_database_url
from leerkring.extensions import db

BASE_DATABASE_URL = os.environ.get("DATABASE_URL")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Databases ------------------------------------------------------------------------------------


class SQLiteDatabases:
    def __init__(self, directory):
        self.directory = directory
        self.template = directory / "template.db"

    def template_url(self):
        return f"sqlite:///{self.template}"

    def fresh_url(self, name):
        path = self.directory / f"{name}.db"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def drop(self, name):
        for suffix in (".db", ".db-wal", ".db-shm"):
            (self.directory / f"{name}{suffix}").unlink(missing_ok=True)


class PostgresDatabases:
    def __init__(self, base_url, worker):
        self.url = sa.make_url(normalise_database_url(base_url))
        self.prefix = f"{self.url.database}_{worker}"
        self.admin = sa.create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
        self._execute(f"DROP DATABASE IF EXISTS {self.prefix}_tpl WITH (FORCE)")
        self._execute(f"CREATE DATABASE {self.prefix}_tpl")

    def _execute(self, statement):
        with self.admin.connect() as connection:
            connection.execute(sa.text(statement))

    def template_url(self):
        return self.url.set(database=f"{self.prefix}_tpl").render_as_string(hide_password=False)

    def fresh_url(self, name):
        database = f"{self.prefix}_{name}"
        self._execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        self._execute(f"CREATE DATABASE {database} TEMPLATE {self.prefix}_tpl")
        return self.url.set(database=database).render_as_string(hide_password=False)

    def drop(self, name):
        self._execute(f"DROP DATABASE IF EXISTS {self.prefix}_{name} WITH (FORCE)")


@pytest.fixture(scope="session")
def databases(tmp_path_factory, worker_id):
    directory = tmp_path_factory.mktemp("db")
    if BASE_DATABASE_URL:
        dbs = PostgresDatabases(BASE_DATABASE_URL, worker_id.replace("master", "main"))
    else:
        dbs = SQLiteDatabases(directory)
    app = create_app({"TESTING": True, "DATABASE_URL": dbs.template_url()})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return dbs


# Mail -----------------------------------------------------------------------------------------


class Mailbox:
    """Collects what a real SMTP server on 127.0.0.1 received."""

    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted"

    def clear(self):
        with self._lock:
            self.messages.clear()

    def to(self, address):
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def text(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture(scope="session")
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def mailbox(smtp_server):
    smtp_server.handler.clear()
    return smtp_server.handler


# The app --------------------------------------------------------------------------------------


def app_config(database_url, smtp_server, tmp_path, **extra) -> dict:
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "SERVER_NAME": "leerkring.test",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp_server.port,
        "SMTP_STARTTLS": False,
        "MAIL_DIRECTORY": str(tmp_path / "mail"),
        "LIBRARY_UPLOAD_DIR": str(tmp_path / "library"),
        **extra,
    }


@pytest.fixture
def app_overrides():
    """Override in a test module to change the app's configuration."""
    return {}


class RequestClient(FlaskClient):
    """Runs each request in its own app context, as a real server does.

    The test's own app context stays open for factories and assertions; after each request its
    session is rolled back, so the test reads what the request committed.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.rollback()
        return response


@pytest.fixture
def app(databases, smtp_server, mailbox, tmp_path, request, app_overrides):
    name = f"t{abs(hash(request.node.nodeid)) % 10**10}"
    url = databases.fresh_url(name)
    app = create_app(app_config(url, smtp_server, tmp_path, **app_overrides))
    app.test_client_class = RequestClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    databases.drop(name)


@pytest.fixture
def client(app):
    return app.test_client()


# Queries --------------------------------------------------------------------------------------


class QueryCounter:
    def __init__(self):
        self.statements = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    @property
    def count(self):
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """``with count_queries() as counter: …`` counts the SQL statements run inside the block."""

    @contextmanager
    def counting():
        counter = QueryCounter()
        sa.event.listen(db.engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", counter)

    return counting


@pytest.fixture
def login(client):
    """``login(user)`` signs ``user`` in on ``client`` through the real login form."""
    from tests.factories import PASSWORD

    def log_in(user, password=PASSWORD):
        response = client.post("/account/login", data={"email": user.email, "password": password})
        assert response.status_code == 303, response.text
        return response

    return log_in
