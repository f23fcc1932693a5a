"""Answering meetings: the one-tap buttons, the one-click link, guests and who comes."""

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import flash, g, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from leerkring.circles.queries import membership_of
from leerkring.circles.services import member_leaving
from leerkring.extensions import db
from leerkring.mail import send_mail
from leerkring.meetings import bp, queries, rsvp
from leerkring.meetings.loading import load_meeting, meeting_url
from leerkring.meetings.models import Answer, Meeting, MeetingGuest
from leerkring.models import User
from leerkring.permissions import (
    can_answer_meeting,
    can_change_circle,
    can_manage_meeting,
    can_see_attendees,
    public,
    require,
)
from leerkring.web import redirect_to, render, safe_next, wants_partial

ANSWER_LABELS = {
    Answer.YES: _l("Yes"),
    Answer.MAYBE: _l("Maybe"),
    Answer.NO: _l("No"),
}


class GuestForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Enter the guest's name.")), Length(max=120)],
    )
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter the guest's e-mail address.")),
            Length(max=254),
            Regexp(
                r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                message=_l("Enter an e-mail address such as name@example.org."),
            ),
        ],
    )


@dataclass
class AnswerBox:
    """What the answer buttons of one meeting show: my answer, the counts, places left."""

    meeting: Meeting
    rsvp: object = None
    counts: dict = field(default_factory=dict)

    @property
    def answer(self):
        return self.rsvp.answer if self.rsvp is not None else None

    @property
    def position(self):
        return getattr(self.rsvp, "position", None) if self.rsvp is not None else None

    @property
    def places_left(self):
        if self.meeting.max_places is None:
            return None
        return max(self.meeting.max_places - self.counts.get("yes", 0), 0)

    @property
    def is_open(self) -> bool:
        return rsvp.is_open_for_answers(self.meeting)


def answer_boxes(user, meetings) -> dict[int, AnswerBox]:
    """One AnswerBox per meeting, in two queries whatever the number of meetings."""
    ids = [meeting.id for meeting in meetings]
    counts = queries.answer_counts(ids)
    mine = queries.my_rsvps(user, ids) if user.is_authenticated else {}
    return {
        meeting.id: AnswerBox(meeting, mine.get(meeting.id), counts[meeting.id])
        for meeting in meetings
    }


#: How many coming meetings the circle page and the dashboard show.
UPCOMING_LIMIT = 5


def circle_context(circle, membership) -> dict:
    """The circle page's "upcoming meetings" section, with answer buttons for members."""
    meetings = queries.upcoming_in_circle(circle, UPCOMING_LIMIT)
    return {
        "upcoming_meetings": meetings,
        "answer_boxes": answer_boxes(current_user, meetings) if membership else {},
        "can_plan_meeting": can_change_circle(current_user, circle, membership),
    }


def dashboard_context(user) -> dict:
    """The dashboard's "Next for me": my next meetings, where I wait, polls waiting for me."""
    meetings = queries.upcoming_for(user, UPCOMING_LIMIT)
    waitlisted = queries.waitlisted_for(user, UPCOMING_LIMIT)
    return {
        "next_meetings": meetings,
        "waitlisted_meetings": waitlisted,
        "answer_boxes": answer_boxes(user, {m.id: m for m in meetings + waitlisted}.values()),
        "polls_waiting": queries.polls_waiting_for(user, UPCOMING_LIMIT),
    }


def page_context(meeting, membership) -> dict:
    """The meeting page's answers section."""
    user = current_user
    context = {
        "answer_box": answer_boxes(user, [meeting])[meeting.id] if membership else None,
        "can_answer": can_answer_meeting(user, meeting, membership),
        "who_comes": None,
        "guest_form": None,
        "answer_labels": ANSWER_LABELS,
    }
    if can_see_attendees(user, meeting, membership):
        context["who_comes"] = who_comes(meeting)
    if can_manage_meeting(user, meeting, membership) and rsvp.is_open_for_answers(meeting):
        context["guest_form"] = g.get("guest_form") or GuestForm(prefix="guest")
    return context


def who_comes(meeting) -> dict:
    lists = {"yes": [], "waiting": [], "maybe": [], "no": [], "guests": []}
    answered_guests = {}
    for answer in queries.answers_of(meeting):
        if answer.guest_id is not None:
            answered_guests[answer.guest_id] = answer
        if answer.waitlisted_at is not None:
            lists["waiting"].append(answer)
        else:
            lists[answer.answer.value].append(answer)
    for guest in queries.guests_of(meeting):
        lists["guests"].append((guest, answered_guests.get(guest.id)))
    return lists


# Leaving the circle -------------------------------------------------------------------------


@member_leaving.connect
def drop_answers_of_leaving_member(membership, **extra):
    rsvp.drop_future_answers(membership.circle_id, membership.user_id)


# Views ----------------------------------------------------------------------------------------


def parse_answer():
    try:
        return Answer(request.form.get("answer", ""))
    except ValueError:
        return None


def answer_flash(answer_rsvp) -> str:
    if answer_rsvp.waitlisted_at is not None:
        return _("All places are taken: you are on the waitlist. You get a notice when a place "
                 "comes free.")
    if answer_rsvp.answer == Answer.YES:
        return _("You are coming. See you there!")
    if answer_rsvp.answer == Answer.MAYBE:
        return _("Your answer is saved: maybe.")
    return _("Your answer is saved: you are not coming.")


@bp.post("/meetings/<int:meeting_id>/answer")
def answer(meeting_id: int):
    meeting, membership = load_meeting(meeting_id)
    require(can_answer_meeting(current_user, meeting, membership))
    back = safe_next(meeting_url(meeting))
    choice = parse_answer()
    if choice is None:
        flash(_("Choose yes, maybe or no."), "error")
    else:
        try:
            answered = rsvp.answer(meeting, current_user, choice)
        except rsvp.AnswerRefused as refusal:
            db.session.rollback()
            flash(str(refusal.message), "error")
        else:
            db.session.commit()
            flash(answer_flash(answered))
    if not wants_partial():
        return redirect_to(back)
    box = answer_boxes(current_user, [meeting])[meeting.id]
    return render(
        "meetings/_answer_buttons.html",
        status=200 if choice is not None else 422,
        box=box,
        next=back,
        oob=True,
        with_flashes=True,
    )


# The one-click link -------------------------------------------------------------------------
# Mail scanners (Safe Links and the like) open every link in a message, so the GET only shows
# what the link would record with one button; the answer is recorded by the POST.


def link_person(meeting, token):
    """The user or guest the link was made for, and the answer it carries; 404 otherwise."""
    content = rsvp.read_token(meeting.id, token)
    if content is None:
        return None, None
    kind, person_id, answer = content
    if kind == "g":
        guest = db.session.get(MeetingGuest, person_id)
        if guest is None or guest.meeting_id != meeting.id:
            return None, None
        return guest, answer
    user = db.session.get(User, person_id)
    if user is None or membership_of(user, meeting.circle) is None:
        return None, None
    return user, answer


@bp.route("/meetings/<int:meeting_id>/answer/<token>", methods=["GET", "POST"])
@public
def answer_link(meeting_id: int, token: str):
    meeting = db.session.get(Meeting, meeting_id)
    person, choice = link_person(meeting, token) if meeting is not None else (None, None)
    require(person is not None, hide=True)
    is_open = rsvp.is_open_for_answers(meeting)
    if request.method == "POST" and is_open:
        if isinstance(person, MeetingGuest):
            rsvp.answer_as_guest(meeting, person, choice)
        else:
            rsvp.answer(meeting, person, choice)
        db.session.commit()
        return redirect_to(url_for("meetings.answer_link", meeting_id=meeting.id, token=token,
                                   done=1))
    current = rsvp._find(
        meeting,
        user=None if isinstance(person, MeetingGuest) else person,
        guest=person if isinstance(person, MeetingGuest) else None,
    )
    return render(
        "meetings/answer_link.html",
        status=200 if is_open else 410,
        meeting=meeting,
        person=person,
        choice=choice,
        choice_label=ANSWER_LABELS[choice],
        answer_labels=ANSWER_LABELS,
        current=current,
        is_open=is_open,
        done=request.args.get("done") == "1" and current is not None,
        is_guest=isinstance(person, MeetingGuest),
    )


# Guests ---------------------------------------------------------------------------------------


@bp.post("/meetings/<int:meeting_id>/guests")
def add_guest(meeting_id: int):
    meeting, membership = load_meeting(meeting_id)
    require(can_manage_meeting(current_user, meeting, membership))
    require(rsvp.is_open_for_answers(meeting))
    form = GuestForm(prefix="guest")
    if not form.validate():
        g.guest_form = form
        from leerkring.meetings.views import show

        response = show(meeting_id)
        response.status_code = 422
        return response
    guest = MeetingGuest(
        meeting_id=meeting.id,
        name=form.name.data.strip(),
        email=form.email.data.strip(),
        added_by_id=current_user.id,
    )
    db.session.add(guest)
    db.session.flush()
    send_guest_mail(meeting, guest, current_user)
    db.session.commit()
    flash(_("%(name)s is invited as a guest and gets an e-mail with the meeting.",
            name=guest.name))
    return redirect_to(meeting_url(meeting) + "#answers")


def when_text(meeting) -> str:
    zone = ZoneInfo(meeting.timezone)
    locale = get_locale()
    start = format_datetime(meeting.starts_at, "full", tzinfo=zone, locale=locale)
    end = format_datetime(meeting.ends_at, "short", tzinfo=zone, locale=locale)
    return f"{start} – {end}"


def send_guest_mail(meeting, guest, coordinator) -> None:
    """The meeting's time, place and three one-click answer links; no agenda, no case content."""
    place = ", ".join(part for part in (meeting.place_address, meeting.place_room) if part)
    lines = [
        _("Hello %(name)s,", name=guest.name),
        _(
            "%(coordinator)s invites you as a guest to the meeting “%(meeting)s” of the learning "
            "circle “%(circle)s”.",
            coordinator=coordinator.name,
            meeting=meeting.title,
            circle=meeting.circle.name,
        ),
        _("When: %(when)s", when=when_text(meeting)),
    ]
    if place:
        lines.append(_("Where: %(place)s", place=place))
    if meeting.online_url:
        lines.append(_("Online: %(url)s", url=meeting.online_url))
    lines.append(_("Will you come? Open one of these links to answer:"))
    lines.append("\n".join(
        f"{ANSWER_LABELS[choice]}: {rsvp.answer_url(meeting, guest, choice)}"
        for choice in Answer
    ))
    lines.append(_("The links work until the meeting starts."))
    send_mail(guest.email, _("Invitation: %(meeting)s", meeting=meeting.title),
              "\n\n".join(lines) + "\n")
