import enum
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leerkring.db import CreatedAtMixin, UTCDateTime, enum_column, utcnow
from leerkring.extensions import db


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Answer(enum.StrEnum):
    YES = "yes"
    MAYBE = "maybe"
    NO = "no"


class PollAnswer(enum.StrEnum):
    YES = "yes"
    IF_NEED_BE = "if_need_be"
    NO = "no"


class CheckInMethod(enum.StrEnum):
    BUTTON = "button"
    CODE = "code"
    COORDINATOR = "coordinator"


class MinutesStatus(enum.StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class MeetingSeries(CreatedAtMixin, db.Model):
    """A recurring pattern (reeks); its occurrences are Meeting rows, new ones copy the latest."""

    __tablename__ = "meeting_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(
        sa.ForeignKey("circles.id", ondelete="CASCADE"), index=True
    )
    #: RFC 5545 RRULE value over local wall-clock time, e.g. "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU".
    rrule: Mapped[str] = mapped_column(sa.String(200))
    timezone: Mapped[str] = mapped_column(sa.String(64))
    first_day: Mapped[date]
    start_time: Mapped[time]
    duration_minutes: Mapped[int]
    #: Occurrences exist up to this local start; the horizon job makes later ones.
    materialised_until: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    circle = relationship("Circle")


class Meeting(CreatedAtMixin, db.Model):
    """One meeting (bijeenkomst) of a circle."""

    __tablename__ = "meetings"
    __table_args__ = (
        sa.UniqueConstraint("series_id", "occurrence_key"),
        sa.Index("ix_meetings_circle_id_starts_at", "circle_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(sa.ForeignKey("circles.id", ondelete="CASCADE"))
    series_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meeting_series.id", ondelete="SET NULL"), index=True
    )
    #: The occurrence's original local start ("2026-03-29T19:30"); never changes when it moves.
    occurrence_key: Mapped[str | None] = mapped_column(sa.String(16))
    #: Moved or edited on its own; series changes to date and time leave it alone.
    is_moved: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str] = mapped_column(sa.String(160))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The zone the coordinator chose the wall-clock times in.
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Amsterdam")
    place_address: Mapped[str] = mapped_column(sa.String(255), default="")
    place_room: Mapped[str] = mapped_column(sa.String(120), default="")
    online_url: Mapped[str] = mapped_column(sa.String(500), default="")
    #: Markdown; sanitised when shown.
    agenda: Mapped[str] = mapped_column(sa.Text, default="")
    #: What members are asked to prepare.
    preparation: Mapped[str] = mapped_column(sa.Text, default="")
    #: The member who brings a case (casusinbrenger); reminded to prepare it.
    case_presenter_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: None means no limit.
    max_places: Mapped[int | None]
    #: Places taken by "yes" answers; a guarded counter like Circle.member_count.
    places_taken: Mapped[int] = mapped_column(default=0)
    status: Mapped[MeetingStatus] = mapped_column(
        enum_column(MeetingStatus), default=MeetingStatus.SCHEDULED, index=True
    )
    #: iCalendar SEQUENCE: raised on every change attendees should see.
    sequence: Mapped[int] = mapped_column(default=0)
    #: When those who answered yes or maybe were last to be told of a new time or place, or of
    #: the cancellation; their notice is planned from it.
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Short code shown on screen for checking in.
    checkin_code: Mapped[str] = mapped_column(sa.String(12), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    circle = relationship("Circle")
    series = relationship("MeetingSeries")
    case_presenter = relationship("User")

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED


class MeetingGuest(CreatedAtMixin, db.Model):
    """Someone from outside the circle whom a coordinator added to one meeting."""

    __tablename__ = "meeting_guests"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str] = mapped_column(sa.String(254))
    added_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )


class Rsvp(db.Model):
    """A member's or guest's answer to a meeting, with their place or waitlist position."""

    __tablename__ = "rsvps"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "user_id"),
        sa.UniqueConstraint("meeting_id", "guest_id"),
        sa.CheckConstraint(
            "(user_id IS NULL) <> (guest_id IS NULL)", name="user_or_guest"
        ),
        sa.Index("ix_rsvps_meeting_id_waitlisted_at", "meeting_id", "waitlisted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    guest_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meeting_guests.id", ondelete="CASCADE"), index=True
    )
    answer: Mapped[Answer] = mapped_column(enum_column(Answer))
    #: A "yes" that holds one of the meeting's places.
    has_place: Mapped[bool] = mapped_column(default=False)
    #: A "yes" beyond the maximum waits here; the earliest gets the next free place.
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When a free place went to this "yes" from the waitlist; its notice is planned from it.
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the member pressed "join online".
    joined_online_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    meeting = relationship("Meeting")
    user = relationship("User")
    guest = relationship("MeetingGuest")


class Attendance(db.Model):
    """Who was there: checked in by button or code, or ticked by a coordinator."""

    __tablename__ = "attendances"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    is_present: Mapped[bool] = mapped_column(default=True)
    method: Mapped[CheckInMethod] = mapped_column(enum_column(CheckInMethod))
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    marked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    meeting = relationship("Meeting")
    user = relationship("User", foreign_keys=[user_id])


class Minutes(db.Model):
    """Short minutes of a meeting: draft for coordinators, final for members."""

    __tablename__ = "minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), unique=True
    )
    #: Markdown, sanitised when shown.
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    decisions: Mapped[str] = mapped_column(sa.Text, default="")
    actions: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[MinutesStatus] = mapped_column(
        enum_column(MinutesStatus), default=MinutesStatus.DRAFT
    )
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    meeting = relationship("Meeting")


class DatePoll(CreatedAtMixin, db.Model):
    """A poll to find a date (datumprikker)."""

    __tablename__ = "date_polls"

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(
        sa.ForeignKey("circles.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(160))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Amsterdam")
    #: Members see only their own answers while this is set.
    hide_answers: Mapped[bool] = mapped_column(default=False)
    #: When answering stops (and the "poll closing" reminder aims at); optional.
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The meeting made from the chosen option.
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    circle = relationship("Circle")
    options = relationship(
        "DatePollOption", back_populates="poll", order_by="DatePollOption.starts_at",
        cascade="all, delete-orphan", passive_deletes=True,
    )

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def takes_answers(self) -> bool:
        """Open and before its closing moment, if it has one."""
        return self.is_open and (self.closes_at is None or utcnow() < self.closes_at)


class DatePollOption(db.Model):
    __tablename__ = "date_poll_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(
        sa.ForeignKey("date_polls.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    is_chosen: Mapped[bool] = mapped_column(default=False)

    poll = relationship("DatePoll", back_populates="options")


class DatePollAnswer(db.Model):
    __tablename__ = "date_poll_answers"
    __table_args__ = (sa.UniqueConstraint("option_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    option_id: Mapped[int] = mapped_column(
        sa.ForeignKey("date_poll_options.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    answer: Mapped[PollAnswer] = mapped_column(enum_column(PollAnswer))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CalendarFeed(CreatedAtMixin, db.Model):
    """A user's personal calendar feed. Only the token's hash is stored; renewing replaces it."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: The calendar's own alarm (VALARM), minutes before a meeting.
    alarm_minutes: Mapped[int] = mapped_column(default=60)
