import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leerkring.db import CreatedAtMixin, UTCDateTime, enum_column, utcnow
from leerkring.extensions import db


class ItemKind(enum.StrEnum):
    PUBLICATION = "publication"
    METHOD = "method"
    TOOL = "tool"
    REPORT = "report"
    VIDEO = "video"
    VISIT_REPORT = "visit_report"
    #: What a circle learned from a case ("wat we leerden").
    LESSON = "lesson"


class ItemStatus(enum.StrEnum):
    DRAFT = "draft"
    #: Waiting for a Werkplaats admin (or the association, for national items) to publish it.
    SUBMITTED = "submitted"
    PUBLISHED = "published"


class FourO(enum.StrEnum):
    """What a piece of work contributes to: the four O's."""

    ONDERZOEK = "onderzoek"
    ONTWIKKELING = "ontwikkeling"
    ONDERWIJS = "onderwijs"
    ONDERSTEUNING = "ondersteuning"


class ThemeRole(enum.StrEnum):
    """Someone's place in a theme group or programme."""

    MEMBER = "member"
    #: A national ambassador of the programme.
    AMBASSADOR = "ambassador"
    #: A content expert (inhoudsdeskundige) of the programme.
    CONTENT_EXPERT = "content_expert"


library_item_themes = sa.Table(
    "library_item_themes",
    db.metadata,
    sa.Column("item_id", sa.ForeignKey("library_items.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "theme_id", sa.ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)

library_item_werkplaatsen = sa.Table(
    "library_item_werkplaatsen",
    db.metadata,
    sa.Column("item_id", sa.ForeignKey("library_items.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "werkplaats_id",
        sa.ForeignKey("werkplaatsen.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

library_item_authors = sa.Table(
    "library_item_authors",
    db.metadata,
    sa.Column("item_id", sa.ForeignKey("library_items.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class ItemO(db.Model):
    """One of the four O's an item contributes to."""

    __tablename__ = "library_item_os"

    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("library_items.id", ondelete="CASCADE"), primary_key=True
    )
    o: Mapped[FourO] = mapped_column(enum_column(FourO), primary_key=True, index=True)


class LibraryItem(CreatedAtMixin, db.Model):
    """A product in the national library: a publication, method, tool, report, video, visit
    report or a circle's lesson. Items with Werkplaatsen are published by those Werkplaatsen'
    admins; items without one are national, published by the association's admins."""

    __tablename__ = "library_items"
    __table_args__ = (
        sa.Index("ix_library_items_status_published_at", "status", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    #: Markdown, sanitised when shown.
    body: Mapped[str] = mapped_column(sa.Text, default="")
    link_url: Mapped[str] = mapped_column(sa.String(500), default="")
    kind: Mapped[ItemKind] = mapped_column(enum_column(ItemKind), index=True)
    status: Mapped[ItemStatus] = mapped_column(enum_column(ItemStatus), default=ItemStatus.DRAFT)
    #: Also visible without signing in, once published.
    is_public: Mapped[bool] = mapped_column(default=False)
    year: Mapped[int | None] = mapped_column(index=True)
    #: E.g. "CC BY 4.0" (``library.LICENCES``).
    licence: Mapped[str] = mapped_column(sa.String(40), default="")
    #: Authors who have no account, as written ("Lectoraat Sociale Kwaliteit, J. Jansen").
    other_authors: Mapped[str] = mapped_column(sa.String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: Where the item came from, for the lemniscate: a closed case's lesson or a visit report.
    case_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("case_notes.id", ondelete="SET NULL"), index=True
    )
    visit_report_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("visit_reports.id", ondelete="SET NULL"), index=True
    )
    #: The uploaded document (PDF, DOCX or PPTX), stored under ``LIBRARY_UPLOAD_DIR`` by
    #: ``document_key``; None without one.
    document_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    document_name: Mapped[str] = mapped_column(sa.String(255), default="")
    document_type: Mapped[str] = mapped_column(sa.String(120), default="")
    document_size: Mapped[int] = mapped_column(default=0)
    #: The document's text where it could be extracted, for search.
    document_text: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    themes = relationship("Theme", secondary=library_item_themes, order_by="Theme.name")
    werkplaatsen = relationship(
        "Werkplaats", secondary=library_item_werkplaatsen, order_by="Werkplaats.name"
    )
    authors = relationship("User", secondary=library_item_authors, order_by="User.name")
    os = relationship("ItemO", cascade="all, delete-orphan", passive_deletes=True)
    created_by = relationship("User", foreign_keys=[created_by_id])

    @property
    def is_published(self) -> bool:
        return self.status == ItemStatus.PUBLISHED

    @property
    def is_national(self) -> bool:
        return not self.werkplaatsen

    def __repr__(self) -> str:
        return f"<LibraryItem {self.id}>"


class ItemPlacement(db.Model):
    """A library item brought into a circle, on one of its meetings' agendas: the lemniscate's
    way home. The impact page counts these."""

    __tablename__ = "library_placements"
    __table_args__ = (sa.UniqueConstraint("item_id", "meeting_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("library_items.id", ondelete="CASCADE"), index=True
    )
    circle_id: Mapped[int] = mapped_column(
        sa.ForeignKey("circles.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    placed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    item = relationship("LibraryItem")
    circle = relationship("Circle")
    meeting = relationship("Meeting")


class ThemePerson(CreatedAtMixin, db.Model):
    """Someone in a theme group or programme: they follow it (new library items and visits on it
    come in their weekly digest) and may show themselves on its page. The association's admins
    name ambassadors and content experts."""

    __tablename__ = "theme_people"
    __table_args__ = (sa.UniqueConstraint("theme_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("themes.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[ThemeRole] = mapped_column(enum_column(ThemeRole), default=ThemeRole.MEMBER)
    follows: Mapped[bool] = mapped_column(default=True)
    #: Shown on the theme's page.
    is_visible: Mapped[bool] = mapped_column(default=False)

    theme = relationship("Theme")
    user = relationship("User")
