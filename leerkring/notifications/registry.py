"""The registry of reminder kinds (DESIGN.md section 7).

Each area registers its kinds when it is imported; the outbox plans and sends them without
knowing the areas. A kind answers three questions:

- ``due(scope)``: which reminders should exist: to whom, about which occurrence, when they are
  due and until when they still make sense (see ``Scope``).
- ``render(delivery)``: what to say, in the recipient's language (the outbox sets it); None when
  there is nothing to say any more (the digest of an empty week, a request already decided).
- which channels it uses unless the user chose otherwise.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from leerkring.mail import Attachment
from leerkring.notifications import services
from leerkring.notifications.models import Channel

BOTH = (Channel.EMAIL, Channel.INAPP)


@dataclass(frozen=True)
class Scope:
    """What a planning pass asks a kind for.

    The scheduler's pass has ``subject_ids`` None and asks for every reminder due before ``until``
    (now plus the planning horizon), also those already due. A service that changed subjects asks
    with their ids and ``until`` None: every reminder still to come for them, however far ahead.
    A kind may return more; the outbox keeps only what ``wants``.
    """

    now: datetime
    until: datetime | None = None
    subject_ids: Sequence[int] | None = None

    def wants(self, due: "Due") -> bool:
        return due.expires_at > self.now and (self.until is None or due.due_at <= self.until)


@dataclass(frozen=True)
class Due:
    """One reminder a kind wants: ``user_id`` gets it about ``subject_id`` at ``due_at``."""

    user_id: int
    subject_id: int
    due_at: datetime
    expires_at: datetime
    occurrence_key: str = ""
    #: The circle it belongs to, whose coordinators may have turned the kind off.
    circle_id: int | None = None


@dataclass
class Rendered:
    """A reminder's words: the in-app notice uses ``params`` with the kind's notice text; the mail
    renders ``template`` (``.txt`` and ``.html``) with ``context``."""

    subject: str
    template: str
    #: A path inside the app; the mail makes it absolute.
    url: str
    params: dict = field(default_factory=dict)
    context: dict = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    #: Extra mail headers (never user input with line breaks; the mail module refuses those).
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    name: str
    #: What ``Delivery.subject_id`` points at: "meeting", "poll", "circle", "user", …
    subject_type: str
    #: The kind as named on the preferences page (lazy_gettext).
    label: object
    #: The in-app notice (lazy_gettext with ``%(name)s`` placeholders filled from ``params``).
    notice: object
    due: Callable[[Scope], Iterable[Due]]
    #: ``render(delivery)``, called in the recipient's language and time zone.
    render: Callable[..., Rendered | None]
    channels: tuple[Channel, ...] = BOTH
    #: Shown on the preferences page; the digest, for one, has its own setting.
    is_optional: bool = True
    #: Its reminders name a circle (``Due.circle_id``), so coordinators can turn it off for their
    #: circle; a kind about something outside circles (a kitchen visit) is not offered there.
    per_circle: bool = True


KINDS: dict[str, Kind] = {}

#: Functions ``f(now)`` the scheduler's planning pass runs first, each in its own transaction
#: (e.g. making a series' next occurrences, so their reminders can be planned).
HOUSEKEEPING: list[Callable[[datetime], object]] = []

#: Functions ``f(user)`` called in the transaction that changes a user's notification choices
#: (channels, meeting lead time, digest), after reminders already planned for the user were
#: brought in line: an area can plan what it plans from those choices at once.
PREFERENCE_LISTENERS: list[Callable[[object], object]] = []


def register_kind(kind: Kind) -> Kind:
    if kind.name in KINDS and KINDS[kind.name] is not kind:
        raise ValueError(f"reminder kind {kind.name!r} is already registered")
    KINDS[kind.name] = kind
    services.register(kind.name, kind.notice)
    return kind


def register_housekeeping(job: Callable[[datetime], object]):
    if job not in HOUSEKEEPING:
        HOUSEKEEPING.append(job)
    return job


def register_preference_listener(listener: Callable[[object], object]):
    if listener not in PREFERENCE_LISTENERS:
        PREFERENCE_LISTENERS.append(listener)
    return listener


def kinds_for(subject_type: str) -> list[Kind]:
    return [kind for kind in KINDS.values() if kind.subject_type == subject_type]


# The weekly digest's sections -----------------------------------------------------------------


@dataclass(frozen=True)
class DigestItem:
    text: str
    #: A path inside the app; the mail makes it absolute.
    link: str


@dataclass(frozen=True)
class DigestSection:
    title: str
    items: list[DigestItem]


#: name → ``f(user, since, until)`` returning a ``DigestSection`` or None, called in the reader's
#: language and time zone. ``until`` is the digest's moment, ``since`` a week earlier: sections
#: about what happened look back to ``since``, sections about what is coming look ahead from
#: ``until``. Areas register their sections; the digest knows none of them.
DIGEST_SECTIONS: dict[str, Callable[..., DigestSection | None]] = {}


def register_digest_section(name: str, section: Callable[..., DigestSection | None]):
    if DIGEST_SECTIONS.get(name, section) is not section:
        raise ValueError(f"digest section {name!r} is already registered")
    DIGEST_SECTIONS[name] = section
    return section
