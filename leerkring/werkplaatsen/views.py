"""Werkplaatsen and themes: who works where, and which circles run on which theme."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerkring.accounts.models import User
from leerkring.extensions import db
from leerkring.permissions import (
    can_appoint_werkplaats_admins,
    can_manage_werkplaats,
    public,
    require,
)
from leerkring.web import redirect_to, render, wants_partial
from leerkring.werkplaatsen import bp, queries, services
from leerkring.werkplaatsen.forms import AppointAdminForm, DescriptionForm
from leerkring.werkplaatsen.models import Theme, Werkplaats
from leerkring.werkplaatsen.sections import theme_sections, themes_index_sections


def _page_number() -> int:
    return request.args.get("page", 1, type=int)


def _werkplaats(slug: str) -> Werkplaats:
    return db.first_or_404(db.select(Werkplaats).filter_by(slug=slug))


#: How many upcoming meetings the Werkplaats page lists.
UPCOMING_MEETINGS = 5


def upcoming_meetings(werkplaats: Werkplaats) -> list:
    """The next meetings of its circles, for signed-in viewers only."""
    if not current_user.is_authenticated:
        return []
    from leerkring.meetings.queries import upcoming_in_werkplaats

    return upcoming_in_werkplaats(werkplaats, current_user, UPCOMING_MEETINGS)


def _show(werkplaats: Werkplaats, *, partial=None, status=200, description_form=None,
          admin_form=None):
    """The Werkplaats page (or one of its parts), with the forms its viewer may use."""
    may_manage = can_manage_werkplaats(current_user, werkplaats)
    may_appoint = can_appoint_werkplaats_admins(current_user)
    if may_manage and description_form is None:
        description_form = DescriptionForm(data={"description": werkplaats.description})
    if may_appoint and admin_form is None:
        admin_form = AppointAdminForm(formdata=None)
    return render(
        "werkplaatsen/show.html",
        partial=partial,
        status=status,
        werkplaats=werkplaats,
        circles=queries.werkplaats_circles(werkplaats, current_user, _page_number()),
        meetings=upcoming_meetings(werkplaats),
        admins=werkplaats.admins if current_user.is_authenticated else [],
        may_manage=may_manage,
        may_appoint=may_appoint,
        description_form=description_form,
        admin_form=admin_form,
        oob=wants_partial() and request.method == "POST",
    )


@bp.get("/werkplaatsen/")
@public
def index():
    regional, association = queries.werkplaats_overview(current_user)
    return render("werkplaatsen/index.html", regional=regional, association=association)


@bp.get("/werkplaatsen/<slug>")
@public
def show(slug):
    return _show(_werkplaats(slug), partial="werkplaatsen/_circles.html")


@bp.post("/werkplaatsen/<slug>/description")
def edit_description(slug):
    werkplaats = _werkplaats(slug)
    require(can_manage_werkplaats(current_user, werkplaats))
    form = DescriptionForm()
    if not form.validate():
        return _show(werkplaats, partial="werkplaatsen/_description.html", status=422,
                     description_form=form)
    services.update_description(werkplaats, form.description.data)
    db.session.commit()
    flash(_("The description of %(name)s is saved.", name=werkplaats.name), "success")
    if wants_partial():
        return _show(werkplaats, partial="werkplaatsen/_description.html")
    return redirect_to(url_for(".show", slug=slug))


@bp.post("/werkplaatsen/<slug>/admins")
def appoint_admin(slug):
    werkplaats = _werkplaats(slug)
    require(can_appoint_werkplaats_admins(current_user))
    form = AppointAdminForm()
    user = None
    if form.validate():
        try:
            user = services.appoint_admin(werkplaats, form.email.data)
        except services.NoSuchAccount:
            form.email.errors.append(_("No account has this e-mail address. Ask the person to "
                                       "create an account first."))
        except services.AlreadyAdmin:
            form.email.errors.append(_("This person is already an admin of this Werkplaats."))
    if user is None:
        return _show(werkplaats, partial="werkplaatsen/_admins.html", status=422, admin_form=form)
    db.session.commit()
    flash(_("%(person)s is now an admin of %(werkplaats)s.", person=user.name,
            werkplaats=werkplaats.name), "success")
    return _after_admin_change(werkplaats)


@bp.post("/werkplaatsen/<slug>/admins/<int:user_id>/remove")
def remove_admin(slug, user_id):
    werkplaats = _werkplaats(slug)
    user = db.get_or_404(User, user_id)
    require(can_appoint_werkplaats_admins(current_user))
    services.remove_admin(werkplaats, user)
    db.session.commit()
    flash(_("%(person)s is no longer an admin of %(werkplaats)s.", person=user.name,
            werkplaats=werkplaats.name), "success")
    return _after_admin_change(werkplaats)


def _after_admin_change(werkplaats: Werkplaats):
    if wants_partial():
        return _show(werkplaats, partial="werkplaatsen/_admins.html")
    return redirect_to(url_for(".show", slug=werkplaats.slug, _anchor="werkplaats-admins"))


# Themes -------------------------------------------------------------------------------------


@bp.get("/themes/")
@public
def themes():
    all_themes = queries.all_themes()
    return render(
        "werkplaatsen/themes.html",
        theme_groups=[t for t in all_themes if not t.is_programme],
        programmes=[t for t in all_themes if t.is_programme],
        counts=queries.circle_counts_by_theme(current_user),
        sections=themes_index_sections.render(),
    )


@bp.get("/themes/<slug>")
@public
def theme(slug):
    theme = db.first_or_404(db.select(Theme).filter_by(slug=slug))
    circles = queries.theme_circles(theme, current_user, _page_number())
    context = {"theme": theme, "circles": circles,
               "groups": queries.group_by_werkplaats(circles.items)}
    if wants_partial():
        return render("werkplaatsen/theme.html", partial="werkplaatsen/_theme_circles.html",
                      **context)
    return render("werkplaatsen/theme.html", sections=theme_sections.render(theme), **context)
