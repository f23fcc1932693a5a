import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leerkring.db import CreatedAtMixin, UTCDateTime, enum_column, utcnow
from leerkring.extensions import db
from leerkring.invitations import InvitationColumns


class CohortRole(enum.StrEnum):
    LECTURER = "lecturer"
    STUDENT = "student"


class SubmissionKind(enum.StrEnum):
    """What a student hands in for an assignment."""

    #: A text written in the submission form.
    TEXT = "text"
    #: A reflection with the assignment's template, written for it.
    REFLECTION = "reflection"
    #: A case the student brought to a meeting of the assignment's circle.
    CASE = "case"
    #: Being present at a number of the circle's meetings; fills itself from attendance.
    ATTENDANCE = "attendance"


class Outcome(enum.StrEnum):
    SUFFICIENT = "sufficient"
    INSUFFICIENT = "insufficient"
    #: The student hands in a new attempt.
    RESUBMIT = "resubmit"


cohort_circles = sa.Table(
    "cohort_circles",
    db.metadata,
    sa.Column("cohort_id", sa.ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "circle_id", sa.ForeignKey("circles.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class Cohort(CreatedAtMixin, db.Model):
    """A group of students for one course and period ("Praktijkleren SPH jaar 3, blok 2"), doing
    fieldwork in the circles linked to it, with their lecturers."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    #: The course or programme, e.g. "Sociaal Werk (HBO), jaar 3".
    course: Mapped[str] = mapped_column(sa.String(160), default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    #: The linked circles' coordinators (praktijkbegeleiders) may read the submissions of the
    #: students in their circle.
    coordinators_see_submissions: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    circles = relationship("Circle", secondary=cohort_circles, order_by="Circle.name")
    members = relationship("CohortMember", back_populates="cohort", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<Cohort {self.id}>"


class CohortMember(CreatedAtMixin, db.Model):
    __tablename__ = "cohort_members"
    __table_args__ = (sa.UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[CohortRole] = mapped_column(enum_column(CohortRole), default=CohortRole.STUDENT)

    cohort = relationship("Cohort", back_populates="members")
    user = relationship("User")

    @property
    def is_lecturer(self) -> bool:
        return self.role == CohortRole.LECTURER


class CohortInvitation(InvitationColumns, CreatedAtMixin, db.Model):
    """A student or lecturer invited to a cohort by e-mail (``leerkring.invitations``)."""

    __tablename__ = "cohort_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cohorts.id", ondelete="CASCADE"), index=True
    )
    #: What the invited person becomes; only lecturers (``can_create_cohort``) join as lecturer.
    role: Mapped[CohortRole] = mapped_column(enum_column(CohortRole), default=CohortRole.STUDENT)

    cohort = relationship("Cohort")
    invited_by = relationship("User", foreign_keys="CohortInvitation.invited_by_id")


class Assignment(CreatedAtMixin, db.Model):
    """A fieldwork assignment (praktijkopdracht) for a cohort's students."""

    __tablename__ = "assignments"
    __table_args__ = (sa.Index("ix_assignments_cohort_id_due_at", "cohort_id", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(160))
    #: Markdown, sanitised when shown.
    instructions: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[SubmissionKind] = mapped_column(
        enum_column(SubmissionKind), default=SubmissionKind.TEXT
    )
    #: For reflection assignments: the template the reflection follows (a
    #: ``notes.models.ReflectionTemplate`` value; that module is not imported here, since the
    #: notes area's views import every model).
    reflection_template: Mapped[str | None] = mapped_column(sa.String(16))
    #: For attendance assignments: how many of the circle's meetings to attend.
    meetings_required: Mapped[int | None]
    circle_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("circles.id", ondelete="SET NULL"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    #: After this, nothing is accepted (unless extended); None: late work is always accepted.
    cutoff_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The zone the lecturer chose the dates in.
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Amsterdam")
    #: Students of the cohort read each other's submissions.
    peers_can_read: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    cohort = relationship("Cohort")
    circle = relationship("Circle")
    meeting = relationship("Meeting")

    def __repr__(self) -> str:
        return f"<Assignment {self.id}>"


class Extension(CreatedAtMixin, db.Model):
    """More time for one student: their own due date and cut-off."""

    __tablename__ = "assignment_extensions"
    __table_args__ = (sa.UniqueConstraint("assignment_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="CASCADE")
    )
    student_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cutoff_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    granted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    student = relationship("User", foreign_keys=[student_id])


class Submission(CreatedAtMixin, db.Model):
    """One attempt of a student at an assignment; a resubmission is the next attempt. Passes the
    privacy guard."""

    __tablename__ = "submissions"
    __table_args__ = (sa.UniqueConstraint("assignment_id", "student_id", "attempt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="CASCADE")
    )
    student_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    attempt: Mapped[int] = mapped_column(default=1)
    #: For text assignments.
    body: Mapped[str] = mapped_column(sa.Text, default="")
    reflection_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("reflections.id", ondelete="SET NULL"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("case_notes.id", ondelete="SET NULL"), index=True
    )
    #: None while it is a draft.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Handed in after the (extended) due date; fixed when submitted.
    is_late: Mapped[bool] = mapped_column(default=False)
    feedback: Mapped[str] = mapped_column(sa.Text, default="")
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome))
    feedback_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    feedback_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    assignment = relationship("Assignment")
    student = relationship("User", foreign_keys=[student_id])
    reflection = relationship("Reflection")
    case = relationship("CaseNote")

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None
