"""Command-line entry points: ``flask --app wsgi demo`` (and, later, the scheduler)."""

import click
from flask import Flask, current_app


def init_app(app: Flask) -> None:
    @app.cli.command("demo")
    @click.option("--if-empty", is_flag=True, help="Only load when the database has no users yet.")
    def demo_command(if_empty: bool) -> None:
        """Load the fictional demo data (idempotent)."""
        from leerkring import demo

        # Services link to pages (notices); outside a request that needs a request context.
        with current_app.test_request_context():
            click.echo(demo.load(if_empty=if_empty))
