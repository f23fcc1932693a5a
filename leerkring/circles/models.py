import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leerkring.db import CreatedAtMixin, UTCDateTime, enum_column
from leerkring.extensions import db
from leerkring.invitations import InvitationColumns


class JoinMode(enum.StrEnum):
    OPEN = "open"
    ON_REQUEST = "request"
    INVITATION = "invitation"


class Visibility(enum.StrEnum):
    #: Every signed-in user can find and read the circle page.
    SIGNED_IN = "signed_in"
    #: Only members (and admins) know it exists.
    MEMBERS = "members"


class CircleRole(enum.StrEnum):
    MEMBER = "member"
    COORDINATOR = "coordinator"


class CaseErasure(enum.StrEnum):
    """What happens to a member's cases and comments when they delete their account."""

    ANONYMISE = "anonymise"
    DELETE = "delete"


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class Circle(CreatedAtMixin, db.Model):
    """A learning circle (leerkring)."""

    __tablename__ = "circles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: None for a national circle.
    werkplaats_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("werkplaatsen.id", ondelete="RESTRICT"), index=True
    )
    theme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("themes.id", ondelete="SET NULL"), index=True
    )
    join_mode: Mapped[JoinMode] = mapped_column(enum_column(JoinMode), default=JoinMode.OPEN)
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.SIGNED_IN, index=True
    )
    #: None means no limit.
    max_members: Mapped[int | None]
    #: Kept up to date by the membership services, so "has room" is a plain filter.
    member_count: Mapped[int] = mapped_column(default=0, index=True)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: The zone its meetings' wall-clock times are in.
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Amsterdam")
    #: Cases are deleted this long after their last activity; None follows the platform
    #: (CASE_RETENTION_MONTHS), and a circle may only choose shorter.
    case_retention_months: Mapped[int | None]
    case_erasure: Mapped[CaseErasure] = mapped_column(
        enum_column(CaseErasure), default=CaseErasure.ANONYMISE
    )

    werkplaats = relationship("Werkplaats")
    theme = relationship("Theme")
    memberships = relationship(
        "Membership", back_populates="circle", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_full(self) -> bool:
        return self.max_members is not None and self.member_count >= self.max_members

    @property
    def places_left(self) -> int | None:
        return None if self.max_members is None else max(self.max_members - self.member_count, 0)

    def __repr__(self) -> str:
        return f"<Circle {self.id}>"


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (sa.UniqueConstraint("circle_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(sa.ForeignKey("circles.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[CircleRole] = mapped_column(enum_column(CircleRole), default=CircleRole.MEMBER)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)

    circle = relationship("Circle", back_populates="memberships")
    user = relationship("User")

    @property
    def is_coordinator(self) -> bool:
        return self.role == CircleRole.COORDINATOR


class JoinRequest(CreatedAtMixin, db.Model):
    """A request to join a circle whose join mode is "on request"."""

    __tablename__ = "join_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(
        sa.ForeignKey("circles.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: Why the requester wants to join (optional).
    message: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus), default=RequestStatus.PENDING, index=True
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    circle = relationship("Circle")
    user = relationship("User", foreign_keys=[user_id])


class Invitation(InvitationColumns, CreatedAtMixin, db.Model):
    """An invitation by e-mail; only the hash of its token is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(
        sa.ForeignKey("circles.id", ondelete="CASCADE"), index=True
    )

    circle = relationship("Circle")
    invited_by = relationship("User", foreign_keys="Invitation.invited_by_id")
