"""Error pages in the user's language."""

from flask import render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from leerkring.extensions import db


def _page(status: int, title: str, message: str):
    return render_template("errors/error.html", status=status, title=title, message=message), status


def forbidden(_error):
    return _page(403, _("Access denied"), _("You do not have access to this page."))


def not_found(_error):
    return _page(
        404, _("Page not found"), _("This page does not exist, or it is not visible to you.")
    )


def too_many_requests(_error):
    return _page(429, _("Too many attempts"), _("Please wait a moment and try again."))


def csrf_failed(_error):
    return _page(
        400,
        _("The form has expired"),
        _("Go back, reload the page and send the form again. Nothing was saved."),
    )


def server_error(_error):
    db.session.rollback()
    return _page(
        500,
        _("Something went wrong"),
        _("An error on our side stopped this request. Nothing was lost; please try again later."),
    )


def init_app(app) -> None:
    app.register_error_handler(403, forbidden)
    app.register_error_handler(404, not_found)
    app.register_error_handler(429, too_many_requests)
    app.register_error_handler(CSRFError, csrf_failed)
    app.register_error_handler(500, server_error)
