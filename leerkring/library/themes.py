"""Theme groups across the Werkplaatsen: what the theme page shows besides its circles (the next
meetings of its circles, coming kitchen visits and the newest library items on it, its people,
with the programme's ambassadors and content experts marked), following a theme and showing
yourself on its page, the association's admins naming ambassadors and content experts, the
themes you follow on the themes page, and the weekly digest's "new on your themes"."""

from flask import abort, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from leerkring.extensions import db
from leerkring.library import bp
from leerkring.library import theme_queries as queries
from leerkring.library import theme_services as services
from leerkring.library.models import ThemeRole
from leerkring.library.theme_forms import ROLE_LABELS, RoleForm, ToggleForm
from leerkring.notifications.moments import when
from leerkring.notifications.registry import DigestItem, DigestSection, register_digest_section
from leerkring.permissions import (
    can_join_theme,
    can_name_theme_roles,
    can_see_theme_people,
    require,
)
from leerkring.web import redirect_to, render, wants_partial
from leerkring.werkplaatsen.models import Theme
from leerkring.werkplaatsen.sections import theme_sections, themes_index_sections


def load_theme(slug: str) -> Theme:
    return db.first_or_404(db.select(Theme).filter_by(slug=slug))


def theme_url(theme: Theme, anchor: str | None = None) -> str:
    return url_for("werkplaatsen.theme", slug=theme.slug, _anchor=anchor)


# People -----------------------------------------------------------------------------------------


def _people_context(theme: Theme, page: int | None = None, role_form=None) -> dict:
    may_name = can_name_theme_roles(current_user, theme)
    if may_name and role_form is None:
        role_form = RoleForm(formdata=None)
    return {
        "theme": theme,
        "people": queries.visible_people(theme, page),
        "role_labels": ROLE_LABELS,
        "may_name": may_name,
        "role_form": role_form,
    }


@bp.get("/themes/<slug>/people")
def theme_people(slug: str):
    theme = load_theme(slug)
    require(can_see_theme_people(current_user))
    return render("library/theme_people.html", partial="library/_theme_people.html",
                  **_people_context(theme))


@bp.post("/themes/<slug>/roles")
def name_theme_role(slug: str):
    theme = load_theme(slug)
    require(can_name_theme_roles(current_user, theme))
    form = RoleForm()
    user = None
    if form.validate():
        try:
            user = services.name_role(theme, form.email.data, ThemeRole(form.role.data))
        except services.NoSuchAccount:
            form.email.errors.append(_("No account has this e-mail address. Ask the person to "
                                       "create an account first."))
    if user is None:
        return render("library/theme_people.html", partial="library/_theme_people.html",
                      status=422, **_people_context(theme, 1, form))
    db.session.commit()
    flash(_role_named(user.name, ThemeRole(form.role.data), theme.name), "success")
    if wants_partial():
        return render("library/_theme_people.html", oob=True, **_people_context(theme, 1))
    return redirect_to(theme_url(theme, "theme-people"))


def _role_named(name: str, role: ThemeRole, theme: str) -> str:
    if role == ThemeRole.AMBASSADOR:
        return _("%(person)s is now an ambassador of %(theme)s.", person=name, theme=theme)
    if role == ThemeRole.CONTENT_EXPERT:
        return _("%(person)s is now a content expert of %(theme)s.", person=name, theme=theme)
    return _("%(person)s no longer has a special role in %(theme)s.", person=name, theme=theme)


# Following and being shown ----------------------------------------------------------------------


def _toggle(slug: str, change, message) -> object:
    theme = load_theme(slug)
    require(can_join_theme(current_user))
    form = ToggleForm()
    if not form.validate():
        abort(400)
    change(theme, current_user, form.is_on)
    db.session.commit()
    flash(message(form.is_on, theme.name), "success")
    if wants_partial():
        return render(
            "library/_theme_follow_response.html",
            oob=True,
            person=queries.theme_person(theme, current_user),
            **_people_context(theme, 1),
        )
    return redirect_to(theme_url(theme, "theme-follow"))


def _following_message(on: bool, theme: str) -> str:
    if on:
        return _("You follow %(theme)s: new library items and visits on it come in your weekly "
                 "digest.", theme=theme)
    return _("You no longer follow %(theme)s.", theme=theme)


def _visible_message(on: bool, theme: str) -> str:
    if on:
        return _("You are shown on the page of %(theme)s.", theme=theme)
    return _("You are no longer shown on the page of %(theme)s.", theme=theme)


@bp.post("/themes/<slug>/follow")
def follow_theme(slug: str):
    return _toggle(slug, services.set_following, _following_message)


@bp.post("/themes/<slug>/visible")
def show_on_theme(slug: str):
    return _toggle(slug, services.set_visible, _visible_message)


# The theme page's sections ----------------------------------------------------------------------


@theme_sections.register
def follow_section(theme: Theme) -> Markup | None:
    """Follow and show yourself; visitors are asked to log in first."""
    if not current_user.is_authenticated:
        return Markup(render_template("library/_theme_log_in.html", theme=theme))
    if not can_join_theme(current_user):
        return None
    return Markup(render_template("library/_theme_follow.html", theme=theme,
                                  person=queries.theme_person(theme, current_user)))


@theme_sections.register
def meetings_section(theme: Theme) -> Markup | None:
    """Meeting pages are for signed-in users, and so is this list."""
    if not current_user.is_authenticated:
        return None
    return Markup(render_template("library/_theme_meetings.html", theme=theme,
                                  meetings=queries.upcoming_meetings(theme, current_user)))


@theme_sections.register
def visits_section(theme: Theme) -> Markup | None:
    if not current_user.is_authenticated:
        return None
    return Markup(render_template("library/_theme_visits.html", theme=theme,
                                  visits=queries.coming_visits(theme)))


@theme_sections.register
def library_section(theme: Theme) -> Markup | None:
    return Markup(render_template("library/_theme_library.html", theme=theme,
                                  items=queries.newest_items(theme, current_user)))


@theme_sections.register
def people_section(theme: Theme) -> Markup | None:
    if not can_see_theme_people(current_user):
        return None
    return Markup(render_template("library/_theme_people.html", **_people_context(theme, 1)))


@themes_index_sections.register
def followed_section() -> Markup | None:
    """On the themes page: the themes you follow."""
    if not current_user.is_authenticated:
        return None
    themes = queries.followed_themes(current_user)
    if not themes:
        return None
    return Markup(render_template("library/_themes_followed.html", themes=themes))


# The weekly digest ------------------------------------------------------------------------------

#: The digest lists at most this many news items on followed themes.
DIGEST_LIMIT = 20


def new_on_my_themes(user, since, until) -> DigestSection | None:
    """Library items published and kitchen visits published in the past week on the themes I
    follow; each once, with the followed themes it is on."""
    news: dict[tuple[str, int], dict] = {}
    for kind, item_id, title, moment, theme in queries.new_on_followed_themes(
        user, since, until, DIGEST_LIMIT
    ):
        entry = news.setdefault((kind, item_id), {"title": title, "moment": moment, "themes": []})
        entry["themes"].append(theme)
    if not news:
        return None
    return DigestSection(
        _("New on your themes"),
        [_digest_item(kind, item_id, entry) for (kind, item_id), entry in news.items()],
    )


def _digest_item(kind: str, item_id: int, entry: dict) -> DigestItem:
    themes = ", ".join(sorted(entry["themes"]))
    if kind == "visit":
        return DigestItem(
            _("Kitchen visit: %(title)s, %(when)s (%(themes)s)", title=entry["title"],
              when=when(entry["moment"]), themes=themes),
            url_for("visits.show", visit_id=item_id),
        )
    return DigestItem(
        _("In the library: %(title)s (%(themes)s)", title=entry["title"], themes=themes),
        f"/library/{item_id}",
    )


register_digest_section("library.themes", new_on_my_themes)
