"""The application skeleton: schema from migrations, health check, headers, error pages."""

from datetime import datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from leerkring import create_app
from leerkring.db import UTCDateTime
from leerkring.extensions import db
from leerkring.library import search
from leerkring.models import Werkplaats


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": search.include_name}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_reference_data_is_seeded_by_the_migration(app):
    names = db.session.execute(sa.select(Werkplaats.name).order_by(Werkplaats.name)).scalars().all()
    assert len(names) == 17  # sixteen Werkplaatsen (one in formation) and the association
    assert "Zeeland (i.o.)" in names
    assert "Associatie Werkplaatsen Sociaal Domein" in names


def test_utc_datetime_refuses_naive_values(app):
    column = UTCDateTime()
    with pytest.raises(ValueError, match="naive"):
        column.process_bind_param(datetime(2026, 3, 29, 2, 30), db.engine.dialect)


def test_healthz_reports_a_database_round_trip(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": True}


def test_healthz_answers_503_without_a_database(tmp_path):
    unreachable = "postgresql+psycopg://nobody:none@127.0.0.1:9/none?connect_timeout=1"
    app = create_app({"TESTING": True, "DATABASE_URL": unreachable})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] is False


def test_every_response_carries_a_strict_content_security_policy(client):
    policy = client.get("/healthz").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_not_found_page_in_dutch_by_default_and_english_on_request(client):
    dutch = client.get("/does-not-exist")
    assert dutch.status_code == 404
    assert "Pagina niet gevonden" in dutch.text
    english = client.get("/does-not-exist", headers={"Accept-Language": "en"})
    assert "Page not found" in english.text
    assert '<html lang="en">' in english.text


def test_sqlite_runs_with_foreign_keys_and_wal(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_after_an_htmx_post_the_next_page_comes_whole(app):
    """htmx follows HX-Location with a request of its own; marked boosted, it gets the whole
    page even where the page has a partial (else the partial would replace the body)."""
    import json

    from leerkring.web import redirect_to, render

    with app.test_request_context(method="POST", headers={"HX-Request": "true"}):
        location = json.loads(redirect_to("/reflections/1").headers["HX-Location"])
    assert location == {"path": "/reflections/1", "headers": {"HX-Boosted": "true"}}
    with app.test_request_context(headers={"HX-Request": "true", **location["headers"]}):
        page = render("errors/error.html", "_flashes.html", code=404, title="x", message="y")
    assert "<html" in page.get_data(as_text=True)
    with app.test_request_context(method="POST"):
        assert redirect_to("/reflections/1").status_code == 303
