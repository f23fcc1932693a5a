"""Date polls (datumprikker): propose dates, answer per option, close into a meeting."""

from flask import abort, flash, request, url_for
from flask_babel import format_date, format_time
from flask_babel import gettext as _
from flask_login import current_user

from leerkring.circles.queries import load_circle, membership_of
from leerkring.extensions import db
from leerkring.meetings import bp, datepolls, queries
from leerkring.meetings.models import PollAnswer
from leerkring.meetings.poll_forms import EMPTY_ROWS, ClosePollForm, PollForm
from leerkring.meetings.recurrence import to_local
from leerkring.permissions import (
    can_answer_poll,
    can_change_circle,
    can_manage_poll,
    can_see_poll_answers,
    can_view_circle,
    can_view_poll,
    require,
)
from leerkring.web import redirect_to, render, wants_partial


def page_context(meeting, membership) -> dict:
    """What this part adds to the meeting page's template context."""
    return {}


def _poll_url(poll) -> str:
    return url_for("meetings.poll", poll_id=poll.id)


def _load_poll(poll_id: int):
    poll = queries.load_poll(poll_id)
    membership = membership_of(current_user, poll.circle)
    require(can_view_circle(current_user, poll.circle, membership), hide=True)
    require(can_view_poll(current_user, poll, membership))
    return poll, membership


@bp.route("/circles/<int:circle_id>/polls/new", methods=["GET", "POST"])
def new_poll(circle_id: int):
    circle = load_circle(circle_id)
    membership = membership_of(current_user, circle)
    require(can_view_circle(current_user, circle, membership), hide=True)
    require(can_change_circle(current_user, circle, membership))
    form = PollForm(timezone=circle.timezone)
    if form.is_submitted() and form.add_rows.data:
        for _row in range(EMPTY_ROWS):
            form.options.append_entry()
        return render("meetings/poll_form.html", circle=circle, form=form)
    if form.validate_on_submit():
        poll = datepolls.create_poll(
            circle, current_user, title=form.title.data.strip(),
            description=form.description.data.strip(), timezone=circle.timezone,
            times=form.chosen_times, closes_at=form.closes_utc,
            hide_answers=form.hide_answers.data, members=queries.circle_members(circle.id),
        )
        db.session.commit()
        flash(_("The poll is open: the members are asked to give their answers."), "success")
        return redirect_to(_poll_url(poll))
    status = 422 if form.is_submitted() else 200
    return render("meetings/poll_form.html", circle=circle, form=form, status=status)


def _poll_context(poll, membership) -> dict:
    answers = queries.poll_answers(poll)
    tallies = datepolls.tally(poll, answers)
    mine = {a.option_id: a.answer for a in answers if a.user_id == current_user.id}
    sees_all = can_see_poll_answers(current_user, poll, membership)
    manages = can_manage_poll(current_user, poll, membership)
    members = queries.circle_members(poll.circle_id) if sees_all else []
    names = {m.user_id: m.user.name for m in members}
    answered = {a.user_id for a in answers}
    best = datepolls.best_option(tallies) if sees_all else None
    context = {
        "poll": poll,
        "membership": membership,
        "tallies": tallies,
        "mine": mine,
        "sees_all": sees_all,
        "voter_names": lambda tally, value: [names[u] for u in tally.voters[value] if u in names],
        "best": best,
        "can_answer": can_answer_poll(current_user, poll, membership),
        "can_manage": manages,
        "not_answered": [m for m in members if m.user_id not in answered] if manages else [],
        "answers": PollAnswer,
        "close_form": None,
    }
    if manages and poll.is_open:
        close_form = ClosePollForm(formdata=None, option=best.id if best else None)
        _set_choices(close_form, poll)
        context["close_form"] = close_form
    return context


def option_label(option) -> str:
    return "{}, {}–{}".format(
        format_date(option.starts_at, "full"),
        format_time(option.starts_at, "short"),
        format_time(option.ends_at, "short"),
    )


def _set_choices(form, poll):
    form.option.choices = [(o.id, option_label(o)) for o in poll.options]


@bp.get("/polls/<int:poll_id>")
def poll(poll_id: int):
    poll, membership = _load_poll(poll_id)
    return render("meetings/poll.html", **_poll_context(poll, membership))


def _answer_value(option_id: int) -> PollAnswer | None:
    try:
        return PollAnswer(request.form.get(f"option-{option_id}", ""))
    except ValueError:
        return None


def _refused_answers(poll):
    flash(_("This poll no longer takes answers."), "error")
    return redirect_to(_poll_url(poll))


@bp.post("/polls/<int:poll_id>/answers")
def answer_poll(poll_id: int):
    """Without JavaScript: every option's answer in one form."""
    poll, membership = _load_poll(poll_id)
    require(membership is not None)
    if not can_answer_poll(current_user, poll, membership):
        return _refused_answers(poll)
    for option in poll.options:
        value = _answer_value(option.id)
        if value is not None:
            datepolls.answer(option, current_user, value)
    db.session.commit()
    flash(_("Your answers are saved."), "success")
    return redirect_to(_poll_url(poll))


@bp.post("/polls/<int:poll_id>/options/<int:option_id>/answer")
def answer_option(poll_id: int, option_id: int):
    """With htmx: one option's answer; the row updates in place."""
    poll, membership = _load_poll(poll_id)
    require(membership is not None)
    option = next((o for o in poll.options if o.id == option_id), None)
    if option is None:
        abort(404)
    if not can_answer_poll(current_user, poll, membership):
        return _refused_answers(poll)
    value = _answer_value(option.id)
    if value is None:
        abort(400)
    datepolls.answer(option, current_user, value)
    db.session.commit()
    flash(_("Your answer is saved."), "success")
    if wants_partial():
        context = _poll_context(poll, membership)
        return render("meetings/poll.html", "meetings/_poll_option_fragment.html",
                      option=option, oob=True, **context)
    return redirect_to(_poll_url(poll))


@bp.post("/polls/<int:poll_id>/close")
def close_poll(poll_id: int):
    poll, membership = _load_poll(poll_id)
    require(can_manage_poll(current_user, poll, membership))
    if not poll.is_open:
        flash(_("This poll is already closed."), "error")
        return redirect_to(_poll_url(poll))
    form = ClosePollForm()
    _set_choices(form, poll)
    if not form.validate():
        context = _poll_context(poll, membership)
        context["close_form"] = form
        return render("meetings/poll.html", status=422, **context)
    option = next(o for o in poll.options if o.id == form.option.data)
    pattern = form.pattern(to_local(option.starts_at, poll.timezone).date())
    meeting = datepolls.close(poll, option, current_user, pattern)
    db.session.commit()
    flash(_("The poll is closed and the meeting is scheduled. The members have been told."),
          "success")
    return redirect_to(url_for("meetings.show", meeting_id=meeting.id))
