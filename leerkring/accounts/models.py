import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leerkring.db import CreatedAtMixin, UTCDateTime, enum_column, utcnow
from leerkring.extensions import db


class FieldRole(enum.StrEnum):
    """What someone does in the field; shown on profiles and visitor lists."""

    PROFESSIONAL = "professional"
    LECTURER = "lecturer"
    RESEARCHER = "researcher"
    POLICYMAKER = "policymaker"
    STUDENT = "student"
    EXPERIENCE_EXPERT = "experience_expert"
    OTHER = "other"


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, CreatedAtMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower-cased e-mail address; the login name.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    field_role: Mapped[FieldRole] = mapped_column(
        enum_column(FieldRole, length=32)
    )
    organisation: Mapped[str] = mapped_column(sa.String(160), default="")
    home_werkplaats_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("werkplaatsen.id", ondelete="SET NULL"), index=True
    )
    #: Interface language ("nl", "en"); None follows the browser.
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    #: IANA time zone for dates and times shown to this user.
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Amsterdam")
    #: Association admin: may manage every Werkplaats and circle.
    is_admin: Mapped[bool] = mapped_column(default=False)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Part of the login session id; changing it signs the user out everywhere.
    session_token: Mapped[str] = mapped_column(sa.String(32), default=new_session_token)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    home_werkplaats = relationship("Werkplaats", foreign_keys=[home_werkplaats_id])

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class AuditEvent(db.Model):
    """Security-relevant events: logins, denied access, exports, deletions. Never note text."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: What happened, e.g. "login", "login_failed", "access_denied".
    action: Mapped[str] = mapped_column(sa.String(40), index=True)
    #: A short, content-free detail such as the endpoint that was refused.
    detail: Mapped[str] = mapped_column(sa.String(255), default="")
    ip: Mapped[str | None] = mapped_column(sa.String(45))
