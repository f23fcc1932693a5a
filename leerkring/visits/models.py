import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leerkring.db import CreatedAtMixin, UTCDateTime, enum_column, utcnow
from leerkring.extensions import db


class VisitStatus(enum.StrEnum):
    #: Waiting for a Werkplaats admin (when the host's Werkplaats approves visits first).
    PENDING = "pending"
    PUBLISHED = "published"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class Audience(enum.StrEnum):
    """Whom a visit is for."""

    PROFESSIONALS = "professionals"
    LECTURERS = "lecturers"
    POLICYMAKERS = "policymakers"
    STUDENTS = "students"


visit_themes = sa.Table(
    "visit_themes",
    db.metadata,
    sa.Column("visit_id", sa.ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "theme_id", sa.ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class VisitAudience(db.Model):
    __tablename__ = "visit_audiences"

    visit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True
    )
    audience: Mapped[Audience] = mapped_column(enum_column(Audience), primary_key=True, index=True)


class Visit(CreatedAtMixin, db.Model):
    """A kitchen visit (keukenbezoek): a host opens their practice to people from other
    Werkplaatsen. An offer with several dates is one Visit per date, sharing an ``offer_key``."""

    __tablename__ = "visits"
    __table_args__ = (sa.Index("ix_visits_status_starts_at", "status", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The host's Werkplaats, whose admins approve the visit.
    werkplaats_id: Mapped[int] = mapped_column(
        sa.ForeignKey("werkplaatsen.id", ondelete="RESTRICT"), index=True
    )
    host_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: The dates of one offer share this key ("also on …").
    offer_key: Mapped[str] = mapped_column(sa.String(32), index=True)
    title: Mapped[str] = mapped_column(sa.String(160))
    #: What visitors will see and why it is worth it (Markdown, sanitised when shown).
    description: Mapped[str] = mapped_column(sa.Text)
    host_organisation: Mapped[str] = mapped_column(sa.String(160), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The zone the host chose the wall-clock times in.
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Amsterdam")
    place_address: Mapped[str] = mapped_column(sa.String(255), default="")
    online_url: Mapped[str] = mapped_column(sa.String(500), default="")
    #: The language the visit is held in ("nl", "en").
    language: Mapped[str] = mapped_column(sa.String(8), default="nl")
    accessibility: Mapped[str] = mapped_column(sa.Text, default="")
    #: None means no limit.
    max_places: Mapped[int | None]
    #: Places taken by sign-ups; a guarded counter (``leerkring.places``).
    places_taken: Mapped[int] = mapped_column(default=0)
    status: Mapped[VisitStatus] = mapped_column(
        enum_column(VisitStatus), default=VisitStatus.PENDING
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: iCalendar SEQUENCE: raised on every change visitors should see.
    sequence: Mapped[int] = mapped_column(default=0)
    #: When visitors were last to be told of a new time or place, or of the cancellation.
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    werkplaats = relationship("Werkplaats")
    host = relationship("User", foreign_keys=[host_id])
    themes = relationship("Theme", secondary=visit_themes, order_by="Theme.name")
    audiences = relationship(
        "VisitAudience", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_published(self) -> bool:
        return self.status == VisitStatus.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == VisitStatus.CANCELLED

    @property
    def places_left(self) -> int | None:
        return None if self.max_places is None else max(self.max_places - self.places_taken, 0)

    def __repr__(self) -> str:
        return f"<Visit {self.id}>"


class VisitSignup(CreatedAtMixin, db.Model):
    """Someone coming to a visit, with a place or on the waitlist (``leerkring.places``)."""

    __tablename__ = "visit_signups"
    __table_args__ = (
        sa.UniqueConstraint("visit_id", "user_id"),
        sa.Index("ix_visit_signups_visit_id_waitlisted_at", "visit_id", "waitlisted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visits.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: "What I want to learn", for the host.
    learning_goal: Mapped[str] = mapped_column(sa.Text, default="")
    has_place: Mapped[bool] = mapped_column(default=False)
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When a free place went to this sign-up from the waitlist; its notice is planned from it.
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    visit = relationship("Visit")
    user = relationship("User")


class VisitReport(CreatedAtMixin, db.Model):
    """A visitor's report: the lemniscate, what travels back home. Passes the privacy guard."""

    __tablename__ = "visit_reports"
    __table_args__ = (sa.UniqueConstraint("visit_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visits.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    saw: Mapped[str] = mapped_column(sa.Text)
    surprised: Mapped[str] = mapped_column(sa.Text, default="")
    take_home: Mapped[str] = mapped_column(sa.Text, default="")
    #: The host's response.
    response: Mapped[str] = mapped_column(sa.Text, default="")
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The author offers the report to the national library (the library picks it up).
    is_offered_to_library: Mapped[bool] = mapped_column(default=False)
    #: When the author consented to sharing it in the library.
    library_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    visit = relationship("Visit")
    author = relationship("User")
    circles = relationship(
        "ReportCircle", cascade="all, delete-orphan", passive_deletes=True
    )


class ReportCircle(db.Model):
    """A report brought to one of the author's circles, optionally on one of its meetings'
    agendas."""

    __tablename__ = "report_circles"

    report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("visit_reports.id", ondelete="CASCADE"), primary_key=True
    )
    circle_id: Mapped[int] = mapped_column(
        sa.ForeignKey("circles.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    circle = relationship("Circle")
    meeting = relationship("Meeting")
