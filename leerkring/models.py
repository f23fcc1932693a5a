"""Every area's models, imported in one place for Alembic and ``flask shell``."""

from leerkring.accounts.models import AuditEvent, FieldRole, User
from leerkring.assignments.models import (
    Assignment,
    Cohort,
    CohortInvitation,
    CohortMember,
    Extension,
    Submission,
    cohort_circles,
)
from leerkring.circles.models import Circle, CircleRole, Invitation, JoinRequest, Membership
from leerkring.meetings.models import (
    Attendance,
    CalendarFeed,
    DatePoll,
    DatePollAnswer,
    DatePollOption,
    Meeting,
    MeetingGuest,
    MeetingSeries,
    Minutes,
    Rsvp,
)
from leerkring.notes.models import CaseComment, CaseNote, PrivacyConfirmation, Reflection
from leerkring.notifications.models import Notification
from leerkring.visits.models import (
    ReportCircle,
    Visit,
    VisitAudience,
    VisitReport,
    VisitSignup,
    visit_themes,
)
from leerkring.werkplaatsen.models import Theme, Werkplaats, WerkplaatsKind, werkplaats_admins

__all__ = [
    "Assignment",
    "Cohort",
    "CohortInvitation",
    "CohortMember",
    "Extension",
    "Submission",
    "cohort_circles",
    "Attendance",
    "CaseComment",
    "CaseNote",
    "PrivacyConfirmation",
    "Reflection",
    "AuditEvent",
    "CalendarFeed",
    "DatePoll",
    "DatePollAnswer",
    "DatePollOption",
    "Meeting",
    "MeetingGuest",
    "MeetingSeries",
    "Minutes",
    "Rsvp",
    "Circle",
    "CircleRole",
    "FieldRole",
    "Invitation",
    "JoinRequest",
    "Membership",
    "Notification",
    "ReportCircle",
    "Theme",
    "User",
    "Visit",
    "VisitAudience",
    "VisitReport",
    "VisitSignup",
    "Werkplaats",
    "WerkplaatsKind",
    "visit_themes",
    "werkplaats_admins",
]
