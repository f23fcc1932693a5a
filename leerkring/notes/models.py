import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leerkring.db import CreatedAtMixin, UTCDateTime, enum_column, utcnow
from leerkring.extensions import db


class CaseMethod(enum.StrEnum):
    """The intervision method a case is discussed with; ``notes.methods`` holds their steps."""

    INCIDENT = "incident"
    SOCRATIC = "socratic"
    GOSSIP = "gossip"
    FREE = "free"


class CaseStatus(enum.StrEnum):
    #: Only its author sees it.
    DRAFT = "draft"
    #: The circle's current members see it and comment.
    SHARED = "shared"
    #: The author wrote what they take from it; the circle may still add what it learned.
    CLOSED = "closed"


class CaseNote(CreatedAtMixin, db.Model):
    """A case (casus) a member brings to the circle, pseudonymised."""

    __tablename__ = "case_notes"
    __table_args__ = (sa.Index("ix_case_notes_circle_id_status", "circle_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(sa.ForeignKey("circles.id", ondelete="CASCADE"))
    #: None once the author deleted their account and the circle keeps cases anonymised.
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: The meeting whose agenda it is on, if any.
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(160))
    #: The question for the circle.
    question: Mapped[str] = mapped_column(sa.Text)
    #: The situation, pseudonymised.
    situation: Mapped[str] = mapped_column(sa.Text)
    #: What was tried so far.
    tried: Mapped[str] = mapped_column(sa.Text, default="")
    method: Mapped[CaseMethod] = mapped_column(enum_column(CaseMethod), default=CaseMethod.FREE)
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus), default=CaseStatus.DRAFT)
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The author's "what I take from this", written when closing.
    takeaway: Mapped[str] = mapped_column(sa.Text, default="")
    #: The circle's "what we learned"; the library can share it onward.
    lesson: Mapped[str] = mapped_column(sa.Text, default="")
    #: Editing, sharing, closing and comments move it; retention counts from it.
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the purge deletes it: last activity plus the circle's retention period (plus one
    #: more period once the author extended it). Kept here so the purge and its warning are a
    #: plain indexed filter.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    #: The author may extend once.
    extended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    circle = relationship("Circle")
    author = relationship("User")
    meeting = relationship("Meeting")
    comments = relationship(
        "CaseComment", back_populates="case", order_by="CaseComment.id",
        cascade="all, delete-orphan", passive_deletes=True,
    )

    @property
    def is_draft(self) -> bool:
        return self.status == CaseStatus.DRAFT

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED

    def __repr__(self) -> str:
        return f"<CaseNote {self.id}>"


class CaseComment(CreatedAtMixin, db.Model):
    """A comment on a shared case; replies are one level deep (``parent_id`` is a top comment)."""

    __tablename__ = "case_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("case_notes.id", ondelete="CASCADE"), index=True
    )
    #: None once the author deleted their account and the circle keeps comments anonymised.
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("case_comments.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(sa.Text)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case = relationship("CaseNote", back_populates="comments")
    author = relationship("User")


class ReflectionTemplate(enum.StrEnum):
    """``notes.reflection_templates`` holds each one's parts."""

    GIBBS = "gibbs"
    ALACT = "alact"
    FREE = "free"


class Sharing(enum.StrEnum):
    #: Only the author.
    PRIVATE = "private"
    #: The author and the circle's coordinators (and, for an assignment, its lecturer).
    MENTOR = "mentor"
    #: The author and the circle's current members.
    CIRCLE = "circle"


class Reflection(CreatedAtMixin, db.Model):
    """A structured reflection; deleted with its author's account."""

    __tablename__ = "reflections"
    __table_args__ = (
        sa.Index("ix_reflections_author_id_created_at", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    template: Mapped[ReflectionTemplate] = mapped_column(enum_column(ReflectionTemplate))
    title: Mapped[str] = mapped_column(sa.String(160))
    #: The template's parts, part name → text (the free template has one part, ``answer``).
    parts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: The free template's prompt, by its key in ``notes.reflection_templates.PROMPTS``.
    prompt: Mapped[str] = mapped_column(sa.String(40), default="")
    sharing: Mapped[Sharing] = mapped_column(enum_column(Sharing), default=Sharing.PRIVATE)
    #: The circle it belongs to: whom "mentor" and "circle" sharing reach. None stands alone.
    circle_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("circles.id", ondelete="SET NULL"), index=True
    )
    #: What it is about, if anything (the assignments area adds assignments).
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("case_notes.id", ondelete="SET NULL"), index=True
    )
    visit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("visits.id", ondelete="SET NULL"), index=True
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    author = relationship("User")
    circle = relationship("Circle")
    meeting = relationship("Meeting")
    case = relationship("CaseNote")
    visit = relationship("Visit")


class PrivacyConfirmation(db.Model):
    """A writer's "I have checked: this is pseudonymised", recorded on every save that needed it.
    Holds which kinds the guard found, never the text."""

    __tablename__ = "privacy_confirmations"
    __table_args__ = (
        sa.Index("ix_privacy_confirmations_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: "case", "comment" or "reflection".
    subject_type: Mapped[str] = mapped_column(sa.String(20))
    subject_id: Mapped[int]
    #: The finding kinds shown when the writer confirmed, comma-separated ("phone,email").
    kinds: Mapped[str] = mapped_column(sa.String(100), default="")
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
