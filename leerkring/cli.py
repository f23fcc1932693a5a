"""Command-line entry points: ``flask --app wsgi demo`` and ``flask --app wsgi scheduler …``."""

import signal
import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

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

    app.cli.add_command(scheduler_group)


def _instant(value: str | None) -> datetime | None:
    """ISO 8601; without an offset the time is read in the platform's time zone."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(current_app.config["LEERKRING_TIMEZONE"]))
    return moment.astimezone(UTC)


class Instant(click.ParamType):
    name = "ISO-8601"

    def convert(self, value, param, ctx):
        try:
            return value if isinstance(value, datetime) else _instant(value)
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 date and time", param, ctx)


@click.group("scheduler")
def scheduler_group() -> None:
    """The reminder scheduler (see README: one process in production)."""


@scheduler_group.command("run")
def run_command() -> None:
    """Run the scheduler until stopped (SIGTERM or Ctrl-C)."""
    from leerkring import scheduler

    stopped = threading.Event()
    for name in (signal.SIGTERM, signal.SIGINT):
        signal.signal(name, lambda *_: stopped.set())
    running = scheduler.build(current_app._get_current_object())
    running.start()
    click.echo("Scheduler running; stop with Ctrl-C.")
    stopped.wait()
    running.shutdown(wait=True)
    click.echo("Scheduler stopped.")


@scheduler_group.command("tick")
@click.option("--now", type=Instant(), help="Act as if it were this instant (default: now).")
@click.option("--until", type=Instant(), help="Repeat the pass up to this instant.")
@click.option("--every", default=15, show_default=True, type=click.IntRange(min=1),
              help="Minutes between repeated passes.")
def tick_command(now: datetime | None, until: datetime | None, every: int) -> None:
    """One planning and delivery pass; prints what it planned and sent."""
    from leerkring import scheduler

    app = current_app._get_current_object()
    moment = now or datetime.now(UTC)
    while True:
        with scheduler.job_context(app):
            planned, report = scheduler.tick(moment)
            _print_pass(moment, planned, report)
        moment += timedelta(minutes=every)
        if until is None or moment > until:
            break


def _print_pass(moment: datetime, planned, report) -> None:
    local = moment.astimezone(ZoneInfo(current_app.config["LEERKRING_TIMEZONE"]))
    counts = ", ".join(f"{kind} {count}" for kind, count in sorted(planned.items()))
    click.echo(f"{local:%Y-%m-%d %H:%M %Z}: planned {sum(planned.values())}"
               + (f" ({counts})" if counts else ""))
    for sent in report.sent:
        click.echo(f"  sent {sent.channel} {sent.kind} to {sent.email}")
    for label in ("retrying", "failed", "cancelled", "expired"):
        if count := getattr(report, label):
            click.echo(f"  {label}: {count}")
