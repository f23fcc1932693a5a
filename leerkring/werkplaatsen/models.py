import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leerkring.db import enum_column
from leerkring.extensions import db


class WerkplaatsKind(enum.StrEnum):
    WERKPLAATS = "werkplaats"
    ASSOCIATION = "association"


werkplaats_admins = sa.Table(
    "werkplaats_admins",
    db.metadata,
    sa.Column(
        "werkplaats_id", sa.ForeignKey("werkplaatsen.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class Werkplaats(db.Model):
    """A regional R&D lab, or the national association (one row of kind ``association``)."""

    __tablename__ = "werkplaatsen"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[WerkplaatsKind] = mapped_column(
        enum_column(WerkplaatsKind), default=WerkplaatsKind.WERKPLAATS
    )
    #: The region in the users' words, e.g. "Gelderland".
    region: Mapped[str] = mapped_column(sa.String(120), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: Still being formed ("i.o.").
    is_forming: Mapped[bool] = mapped_column(default=False)
    #: Kitchen visits its members offer wait for one of its admins before they are published.
    visits_need_approval: Mapped[bool] = mapped_column(default=True)

    admins = relationship("User", secondary=werkplaats_admins, order_by="User.name")

    @property
    def is_association(self) -> bool:
        return self.kind == WerkplaatsKind.ASSOCIATION

    def __repr__(self) -> str:
        return f"<Werkplaats {self.slug}>"


class Theme(db.Model):
    """A theme group or programme that spans Werkplaatsen."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: When the theme group started, in the users' words, e.g. "2021–2022".
    period: Mapped[str] = mapped_column(sa.String(40), default="")
    #: A programme (Ondersteuning ouderen) rather than a theme group.
    is_programme: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<Theme {self.slug}>"
