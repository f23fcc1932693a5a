"""Sessions, the login requirement and the security headers of every response."""

from flask import redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_htmx import make_response as htmx_response

from leerkring.extensions import db, htmx
from leerkring.permissions import require_login
from leerkring.web import add_vary_header

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


def load_user(session_id: str):
    """Session ids are "<user id>:<session token>"; a changed token ends old sessions."""
    from leerkring.accounts.models import User

    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.session_token == token else None


def unauthorized():
    login_url = url_for("accounts.login", next=request.full_path.rstrip("?"))
    if htmx:
        return htmx_response(redirect=login_url)
    return redirect(login_url)


def set_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app, login_manager) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.session_protection = "strong"
    app.before_request(require_login)
    app.after_request(add_vary_header)
    app.after_request(set_security_headers)
