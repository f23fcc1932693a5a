"""End-to-end tests in headless Chromium: the real app on a live server, a real SMTP server, axe.

Debian's ``chromium`` drives the tests (Playwright cannot download its own browser here); without
it every test in this directory is skipped with a message that says how to get it. Each test gets
its own live server on a fresh migrated database, with CSRF on as in production, and a browser
context whose pages go to that server by relative URL and come in Dutch unless the test asks
otherwise with ``@pytest.mark.browser_context_args(locale="en-GB")``.
"""

import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask
from playwright.sync_api import expect
from werkzeug.serving import WSGIRequestHandler, make_server

from leerkring import create_app
from leerkring.extensions import db
from tests.conftest import app_config

CHROMIUM = shutil.which("chromium")
HERE = Path(__file__).parent
SKIP_REASON = (
    "browser tests need Debian's chromium: apt-get install chromium, or run make test as root"
)

#: Flags for Chromium on a machine without a GPU, a sandbox or a network beyond loopback.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: The axe-core rule tags for WCAG 2.1 levels A and AA.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(skip)


# The browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def _pw_artifacts_folder(tmp_path_factory):
    """pytest-playwright's scratch folder, in pytest's own temporary directory: the plugin's
    TemporaryDirectory is cleaned up only at unconfigure, which xdist workers never reach."""
    return SimpleNamespace(name=str(tmp_path_factory.mktemp("playwright")))


@pytest.fixture(scope="session")
def base_url():
    """Unused (each test's context gets its live server's URL); replaces pytest-playwright's
    fallback fixture, which pytest 9 warns about."""
    return None


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}


@pytest.fixture
def context(new_context, live_server):
    """A browser context whose relative URLs go to this test's live server."""
    return new_context(base_url=live_server.url)


# The live server ------------------------------------------------------------------------------


class QuietRequestHandler(WSGIRequestHandler):
    """One request per connection, and a socket that stays silent is given up after a few
    seconds, so every request thread ends soon after its request."""

    protocol_version = "HTTP/1.0"
    timeout = 5

    def log_request(self, *args, **kwargs):
        pass


@dataclass
class LiveServer:
    app: Flask
    url: str

    def app_context(self):
        """For factories and assertions in the test; every block has its own database session.
        A request context, because services link to pages as they do in a request."""
        return self.app.test_request_context()


@pytest.fixture
def live_server(databases, smtp_server, mailbox, tmp_path, request, app_overrides):
    """The real app on 127.0.0.1, on a fresh database, with CSRF on and mail over SMTP."""
    name = f"live{abs(hash(request.node.nodeid)) % 10**10}"
    config = app_config(
        databases.fresh_url(name),
        smtp_server,
        tmp_path,
        SERVER_NAME=None,
        WTF_CSRF_ENABLED=True,
        **app_overrides,
    )
    app = create_app(config)
    server = make_server(
        "127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler
    )
    # Closing the server waits for requests still running, so none of them holds a connection
    # to the test's database when it is dropped.
    server.daemon_threads = False
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.engine.dispose()
        databases.drop(name)


# Accessibility and the console ----------------------------------------------------------------


def _axe_report(violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s):"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            summary = node.get("failureSummary") or ""
            lines.extend(f"      {line.strip()}" for line in summary.splitlines() if line.strip())
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe():
    """``axe(page)`` fails the test when axe-core finds WCAG 2.1 A/AA violations on the page."""
    from axe_playwright_python.sync_playwright import Axe

    runner = Axe()
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}

    def check(page):
        violations = runner.run(page, options=options).response["violations"]
        if violations:
            pytest.fail(f"{page.url}\n{_axe_report(violations)}")

    return check


@pytest.fixture
def console(page):
    """Every console message the page logs, in order."""
    messages = []
    page.on("console", lambda message: messages.append(message))
    return messages


# Signing in -----------------------------------------------------------------------------------


@pytest.fixture
def sign_in():
    """``sign_in(page, email)`` logs in through the real login form, in whatever language."""
    from tests.factories import PASSWORD

    def log_in(page, email, password=PASSWORD):
        page.goto("/account/login")
        form = page.locator("main form[action='/account/login']")
        form.locator("input[name=email]").fill(email)
        form.locator("input[name=password]").fill(password)
        form.get_by_role("button").click()
        expect(page.get_by_role("button", name=re.compile("^(Uitloggen|Log out)$"))).to_be_visible()

    return log_in
