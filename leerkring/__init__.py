"""Leerkring: learning circles for the Werkplaatsen Sociaal Domein."""

import logging
from pathlib import Path

from flask import Flask

from leerkring import config


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(config.INSTANCE_PATH))
    app.config.from_object(config.Defaults)
    app.config.update(config.from_environment())
    app.config.update(overrides or {})
    if "DATABASE_URL" in (overrides or {}):
        app.config["SQLALCHEMY_DATABASE_URI"] = config.normalise_database_url(
            overrides["DATABASE_URL"]
        )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=app.config["LOG_LEVEL"])

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    if app.config["LEERKRING_SCHEDULER"] == "embedded":
        from leerkring import scheduler

        scheduler.embed(app)
    return app


def register_extensions(app: Flask) -> None:
    from leerkring import i18n, security, text
    from leerkring.db import configure_engine
    from leerkring.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(Path(__file__).parent.parent / "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app, babel)
    security.init_app(app, login_manager)
    text.init_app(app)


def register_blueprints(app: Flask) -> None:
    from leerkring import (
        accounts,
        assignments,
        circles,
        home,
        impact,
        library,
        meetings,
        notes,
        notifications,
        visits,
        werkplaatsen,
    )

    for area in (
        home, accounts, werkplaatsen, circles, meetings, notes, visits, assignments, library,
        impact, notifications,
    ):
        app.register_blueprint(area.bp)


def register_errorhandlers(app: Flask) -> None:
    from leerkring import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from leerkring import cli

    cli.init_app(app)
