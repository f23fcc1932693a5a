"""Configuration read from the environment, with safe development defaults.

This is the only module that reads ``os.environ``; everything else asks ``current_app.config``.
"""

import os
from pathlib import Path

INSTANCE_PATH = Path(__file__).resolve().parent.parent / "instance"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whichever spelling the URL has."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def from_environment() -> dict:
    """Build the configuration mapping for ``create_app``."""
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_PATH / 'leerkring.db'}"
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY", "dev-only-change-me"),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SERVER_NAME": os.environ.get("SERVER_NAME"),
        "PREFERRED_URL_SCHEME": os.environ.get("PREFERRED_URL_SCHEME", "http"),
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", False),
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", False),
        "LEERKRING_TIMEZONE": os.environ.get("LEERKRING_TIMEZONE", "Europe/Amsterdam"),
        # Gunicorn workers never run a scheduler, whatever the setting says.
        "LEERKRING_SCHEDULER": "off"
        if "gunicorn" in os.environ.get("SERVER_SOFTWARE", "")
        else os.environ.get("LEERKRING_SCHEDULER", "off"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Leerkring <noreply@leerkring.localhost>"),
        "SMTP_HOST": os.environ.get("SMTP_HOST") or None,
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", "587")),
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME") or None,
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": _bool("SMTP_STARTTLS", True),
        "MAIL_DIRECTORY": os.environ.get("MAIL_DIRECTORY", str(INSTANCE_PATH / "mail")),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        # Cases are deleted this long after their last activity; circles may choose shorter.
        "CASE_RETENTION_MONTHS": int(os.environ.get("CASE_RETENTION_MONTHS", "24")),
        # Documents uploaded to the library: where they are kept, and how large they may be.
        "LIBRARY_UPLOAD_DIR": os.environ.get("LIBRARY_UPLOAD_DIR", str(INSTANCE_PATH / "library")),
        "LIBRARY_MAX_UPLOAD_MB": float(os.environ.get("LIBRARY_MAX_UPLOAD_MB", "20")),
    }


class Defaults:
    """Settings that are not meant to change between deployments."""

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    BABEL_DEFAULT_LOCALE = "nl"
    LANGUAGES = ("nl", "en")
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    #: Signed links in e-mail.
    VERIFY_EMAIL_MAX_AGE = 3 * 24 * 3600
    RESET_PASSWORD_MAX_AGE = 3600
    INVITATION_MAX_AGE_DAYS = 14
    PASSWORD_MIN_LENGTH = 10
    #: Per client address, on POST only (Flask-Limiter syntax).
    RATELIMIT_LOGIN = "10/minute"
    RATELIMIT_REGISTER = "10/hour"
    RATELIMIT_RESEND_VERIFICATION = "10/hour"
    RATELIMIT_PASSWORD_RESET = "10/hour"
    PER_PAGE = 20
    #: The author of a case hears this long before it is deleted (CASE_RETENTION_MONTHS).
    CASE_EXPIRY_NOTICE_DAYS = 30
    #: Reminders (DESIGN.md section 7). Platform defaults; circles and users choose within them.
    REMINDER_MEETING_LEAD_DAYS = 1
    REMINDER_MEETING_HOUR = 9
    #: kind → channels it uses unless the user chose otherwise (a kind's own default otherwise).
    NOTIFICATION_CHANNELS: dict = {}
    DIGEST_DEFAULT = "weekly"
    #: The scheduler plans this far ahead, and runs its passes this often.
    REMINDER_PLAN_AHEAD_HOURS = 24
    SCHEDULER_PLAN_SECONDS = 300
    SCHEDULER_DELIVER_SECONDS = 60
    OUTBOX_BATCH = 100
    OUTBOX_LEASE_SECONDS = 300
    OUTBOX_MAX_ATTEMPTS = 6
    #: Wait before attempt 2, 3, …; the last value repeats.
    OUTBOX_BACKOFF_MINUTES = (1, 5, 15, 60, 240)
