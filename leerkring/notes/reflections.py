"""Reflections: a member writes one with a template (Gibbs, ALACT or a short free one), about a
meeting, a case, a kitchen visit they had a place at, or nothing in particular, and chooses who
may read it: only themselves, the circle's coordinators, or the whole circle. The meeting page
offers to write one once the meeting has started, and so does the "write your reflection"
reminder; a visit's page does once it has started, to those who had a place."""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import to_user_timezone
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import joinedload

from leerkring.circles.models import Membership
from leerkring.circles.queries import load_circle, membership_of, open_circles_of
from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.meetings.loading import load_meeting
from leerkring.meetings.sections import register_section
from leerkring.notes import bp
from leerkring.notes import reflection_services as services
from leerkring.notes.guard import record_confirmation
from leerkring.notes.models import Reflection, ReflectionTemplate
from leerkring.notes.queries import load_case, load_reflection
from leerkring.notes.reflection_forms import SHARING_LABELS, ReflectionForm, reflection_form
from leerkring.notes.reflection_templates import (
    ANSWER,
    PROMPTS,
    TEMPLATES,
    next_prompt,
    prompt_of_the_day,
    template_for,
    written_parts,
)
from leerkring.permissions import (
    can_edit_reflection,
    can_list_circle_reflections,
    can_reflect_on_visit,
    can_share_reflection,
    can_view_case,
    can_view_meeting,
    can_view_visit,
    require,
    shared_reflections,
)
from leerkring.visits.loading import load_visit
from leerkring.visits.services import signup_of
from leerkring.web import paginate, redirect_to, render


def reflection_url(reflection) -> str:
    return url_for("notes.reflection", reflection_id=reflection.id)


# What a reflection is about ---------------------------------------------------------------------


@dataclass(frozen=True)
class About:
    """What a reflection is about, as a reader may see it: ``title`` and ``url`` are None when
    the reader may no longer open the meeting or case."""

    kind: str
    title: str | None = None
    url: str | None = None
    starts_at: datetime | None = None


def about(reflection, user, membership) -> About | None:
    """``membership`` is ``user``'s Membership in the reflection's circle (the meeting's or the
    case's), or None."""
    if reflection.meeting is not None:
        meeting = reflection.meeting
        if not can_view_meeting(user, meeting, membership):
            return About("meeting")
        return About("meeting", meeting.title,
                     url_for("meetings.show", meeting_id=meeting.id), meeting.starts_at)
    if reflection.case is not None:
        case = reflection.case
        if not can_view_case(user, case, membership):
            return About("case")
        return About("case", case.title, url_for("notes.case", case_id=case.id))
    if reflection.visit is not None:
        if not can_view_visit(user, reflection.visit):
            return About("visit")
        return visit_about(reflection.visit)
    return None


def visit_about(visit) -> About:
    return About("visit", visit.title, url_for("visits.show", visit_id=visit.id),
                 visit.starts_at)


@dataclass
class Subject:
    """What a new reflection is about, from the query string: a meeting, a case, a kitchen
    visit (which belongs to no circle), or only a circle chosen in advance."""

    meeting: object = None
    case: object = None
    visit: object = None
    circle: object = None
    membership: Membership | None = None
    args: dict = field(default_factory=dict)

    @property
    def fixes_circle(self) -> bool:
        """About a meeting or a case, the reflection belongs to that one's circle."""
        return self.meeting is not None or self.case is not None

    def about(self) -> About | None:
        if self.meeting is not None:
            return About("meeting", self.meeting.title,
                         url_for("meetings.show", meeting_id=self.meeting.id),
                         self.meeting.starts_at)
        if self.case is not None:
            return About("case", self.case.title, url_for("notes.case", case_id=self.case.id))
        if self.visit is not None:
            return visit_about(self.visit)
        return None


def requested_subject() -> Subject:
    """The meeting, case, visit or circle the query string names; 404 when the user may not see
    it (a visit: when they had no place at it)."""
    if (meeting_id := request.args.get("meeting", type=int)) is not None:
        meeting, membership = load_meeting(meeting_id)
        return Subject(meeting=meeting, circle=meeting.circle, membership=membership,
                       args={"meeting": meeting.id})
    if (case_id := request.args.get("case", type=int)) is not None:
        case, membership = load_case(case_id)
        return Subject(case=case, circle=case.circle, membership=membership,
                       args={"case": case.id})
    if (visit_id := request.args.get("visit", type=int)) is not None:
        visit = load_visit(visit_id)
        require(can_reflect_on_visit(current_user, visit, signup_of(visit, current_user)),
                hide=True)
        return Subject(visit=visit, args={"visit": visit.id})
    if (circle_id := request.args.get("circle", type=int)) is not None:
        circle = load_circle(circle_id)
        membership = membership_of(current_user, circle)
        require(can_share_reflection(current_user, circle, membership), hide=True)
        return Subject(circle=circle, membership=membership, args={"circle": circle.id})
    return Subject()


# The form ---------------------------------------------------------------------------------------


def local_today():
    return to_user_timezone(utcnow()).date()


def form_page(form: ReflectionForm, action: str, *, subject_about=None, reflection=None,
              prompt: str = ""):
    """The reflection form, with its errors next to the fields (422 after a submit)."""
    status = 422 if form.is_submitted() else 200
    other_prompt = None
    if reflection is None and prompt:
        other_prompt = url_for("notes.new_reflection", **(request.args.to_dict() | {
            "template": form.template.key.value, "prompt": next_prompt(prompt)}))
    return render(
        "notes/reflection_form.html", "notes/_reflection_form.html", status=status,
        form=form, template=form.template, action=action, about=subject_about,
        reflection=reflection, other_prompt=other_prompt,
    )


def show_prompt(form: ReflectionForm, prompt: str) -> None:
    """The free template's one part is labelled with its prompt."""
    if prompt in PROMPTS:
        form[ANSWER].label.text = PROMPTS[prompt]


@bp.route("/reflections/new", methods=["GET", "POST"])
def new_reflection():
    subject = requested_subject()
    template = template_for(request.args.get("template", ""))
    if template is None:
        return render(
            "notes/reflection_choose.html", "notes/_reflection_choose.html",
            templates=TEMPLATES.values(), about=subject.about(), circle=subject.circle,
            args=subject.args,
        )
    if subject.fixes_circle:
        circles, fixed = [], subject.circle
        shareable = {fixed.id} if can_share_reflection(current_user, fixed,
                                                       subject.membership) else set()
    else:
        circles, fixed = open_circles_of(current_user), None
        shareable = {circle.id for circle in circles}
    form = reflection_form(template.key)(
        circles=circles, fixed_circle=fixed, shareable=shareable,
        circle=str(subject.circle.id) if subject.circle and not fixed else "",
    )
    prompt = ""
    if template.key == ReflectionTemplate.FREE:
        requested = request.args.get("prompt", "")
        prompt = form.chosen_prompt(requested if requested in PROMPTS
                                    else prompt_of_the_day(local_today()))
        form.prompt.data = prompt
        show_prompt(form, prompt)
    if form.validate_on_submit():
        reflection = services.create_reflection(
            current_user, template.key, meeting=subject.meeting, case=subject.case,
            visit=subject.visit, prompt=prompt, **form.reflection_fields(),
        )
        record_confirmation(form, current_user, "reflection", reflection.id)
        db.session.commit()
        flash(_("Your reflection is saved."))
        return redirect_to(reflection_url(reflection))
    action = url_for("notes.new_reflection", template=template.key.value, **subject.args)
    return form_page(form, action, subject_about=subject.about(), prompt=prompt)


@bp.route("/reflections/<int:reflection_id>/edit", methods=["GET", "POST"])
def edit_reflection(reflection_id: int):
    reflection, membership = load_reflection(reflection_id)
    require(can_edit_reflection(current_user, reflection, membership))
    is_about = reflection.meeting_id is not None or reflection.case_id is not None
    if is_about:
        circles, fixed = [], reflection.circle
        shareable = {fixed.id} if fixed and can_share_reflection(current_user, fixed,
                                                                membership) else set()
    else:
        circles, fixed = open_circles_of(current_user), None
        shareable = {circle.id for circle in circles}
        if reflection.circle is not None and reflection.circle not in circles:
            circles.append(reflection.circle)  # kept, though no longer shareable
    form = reflection_form(reflection.template)(
        circles=circles, fixed_circle=fixed, shareable=shareable,
        data={"title": reflection.title, "sharing": reflection.sharing.value,
              "circle": str(reflection.circle_id or ""), **(reflection.parts or {})},
    )
    show_prompt(form, reflection.prompt)
    if form.validate_on_submit():
        services.update_reflection(reflection, **form.reflection_fields())
        record_confirmation(form, current_user, "reflection", reflection.id)
        db.session.commit()
        flash(_("The changes are saved."))
        return redirect_to(reflection_url(reflection))
    action = url_for("notes.edit_reflection", reflection_id=reflection.id)
    return form_page(form, action, subject_about=about(reflection, current_user, membership),
                     reflection=reflection)


# Reading and deleting ---------------------------------------------------------------------------


@bp.get("/reflections/<int:reflection_id>")
def reflection(reflection_id: int):
    reflection, membership = load_reflection(reflection_id)
    return render(
        "notes/reflection_show.html", "notes/_reflection.html",
        reflection=reflection, parts=written_parts(reflection),
        template=TEMPLATES[reflection.template],
        about=about(reflection, current_user, membership),
        sharing=SHARING_LABELS[reflection.sharing],
        can_edit=can_edit_reflection(current_user, reflection, membership),
    )


@bp.post("/reflections/<int:reflection_id>/delete")
def delete_reflection(reflection_id: int):
    reflection, membership = load_reflection(reflection_id)
    require(can_edit_reflection(current_user, reflection, membership))
    services.delete_reflection(reflection)
    db.session.commit()
    flash(_("The reflection is deleted."))
    return redirect_to(url_for("notes.journal"))


# A circle's shared reflections ------------------------------------------------------------------


@bp.get("/circles/<int:circle_id>/reflections")
def circle_reflections(circle_id: int):
    circle = load_circle(circle_id)
    membership = membership_of(current_user, circle)
    require(can_list_circle_reflections(current_user, circle, membership), hide=True)
    results = paginate(
        sa.select(Reflection)
        .where(shared_reflections(circle, membership))
        .options(
            joinedload(Reflection.author),
            joinedload(Reflection.meeting),
            joinedload(Reflection.case),
            joinedload(Reflection.visit),
        )
        .order_by(Reflection.created_at.desc(), Reflection.id.desc())
    )
    return render(
        "notes/reflection_circle.html", "notes/_reflection_shared.html",
        circle=circle, membership=membership, results=results,
        abouts={r.id: about(r, current_user, membership) for r in results.items},
        templates=TEMPLATES, sharing_labels=SHARING_LABELS,
        can_write=can_share_reflection(current_user, circle, membership),
    )


# On the meeting page ----------------------------------------------------------------------------


def meeting_section(meeting, membership) -> Markup | None:
    """For a member, once the meeting has started: write a reflection on it, or open theirs."""
    if membership is None or meeting.is_cancelled or meeting.starts_at > utcnow():
        return None
    mine = db.session.execute(
        sa.select(Reflection)
        .where(Reflection.author_id == current_user.id, Reflection.meeting_id == meeting.id)
        .order_by(Reflection.created_at.desc(), Reflection.id.desc())
        .limit(1)
    ).scalar()
    return Markup(render_template("notes/_reflection_section.html", meeting=meeting,
                                  reflection=mine))


register_section(meeting_section)
