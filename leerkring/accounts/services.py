"""Changes to accounts: registration, confirmation, logins, passwords, preferences.

Services never commit; the view does, once. Mail is rendered in the recipient's language.
"""

from datetime import timedelta

from flask import current_app, has_request_context, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from leerkring.accounts import tokens
from leerkring.accounts.models import AuditEvent, FieldRole, User, new_session_token
from leerkring.accounts.passwords import check_password, hash_password, needs_rehash
from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.mail import send_mail


def audit(action: str, *, user=None, detail: str = "") -> None:
    """Record a security event in the current transaction (no content, only what and who)."""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    db.session.add(
        AuditEvent(
            action=action,
            user_id=user.id if user is not None else None,
            detail=detail[:255],
            ip=request.remote_addr if has_request_context() else None,
        )
    )


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.execute(
        db.select(User).filter_by(email=normalise_email(email))
    ).scalar_one_or_none()


# Registration and confirmation ----------------------------------------------------------------


def register(
    *,
    name: str,
    email: str,
    password: str,
    field_role: FieldRole,
    home_werkplaats_id: int | None,
    organisation: str = "",
    locale: str | None = None,
    next_url: str | None = None,
) -> User | None:
    """Create an unconfirmed account and mail the confirmation link.

    When the address already has an account, nothing is created and that address is told so
    instead; the person registering sees the same answer either way. Returns the new user, or
    None when the account existed.
    """
    password_hash = hash_password(password)  # also when unused: both answers take as long
    existing = user_by_email(email)
    if existing is not None:
        send_account_exists_mail(existing, next_url)
        return None
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        password_hash=password_hash,
        field_role=field_role,
        home_werkplaats_id=home_werkplaats_id,
        organisation=organisation.strip(),
        locale=locale,
        timezone=current_app.config["LEERKRING_TIMEZONE"],
    )
    db.session.add(user)
    db.session.flush()
    send_verification_mail(user, next_url)
    return user


def resend_verification(email: str, next_url: str | None = None) -> None:
    """Mail a new confirmation link when the address has an unconfirmed account; else nothing."""
    user = user_by_email(email)
    if user is not None and not user.is_verified:
        send_verification_mail(user, next_url)


def confirm_email(user: User) -> None:
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()


# Logging in -------------------------------------------------------------------------------------


def authenticate(email: str, password: str) -> tuple[User | None, bool]:
    """The account for ``email`` (or None) and whether ``password`` is its password.

    An unknown address costs as much time as a known one.
    """
    user = user_by_email(email)
    return user, check_password(user.password_hash if user else None, password)


def record_login(user: User, password: str) -> None:
    """Note the login; rehash the password when the hashing parameters have changed."""
    user.last_login_at = utcnow()
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    audit("login", user=user)


def record_failed_login(user: User | None, reason: str) -> None:
    audit("login_failed", user=user, detail=reason)


# Passwords ----------------------------------------------------------------------------------------


def request_password_reset(email: str) -> None:
    """Mail a reset link when the address has an account; otherwise nothing (same answer)."""
    user = user_by_email(email)
    if user is not None:
        send_reset_mail(user)


def set_password(user: User, password: str) -> None:
    """A new password ends every session of ``user`` and spends every reset link."""
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()


def reset_password(user: User, password: str) -> None:
    set_password(user, password)
    confirm_email(user)  # the link reached this mailbox: the address works
    audit("password_reset", user=user)
    send_password_changed_mail(user)


def change_password(user: User, password: str) -> None:
    set_password(user, password)
    audit("password_changed", user=user)
    send_password_changed_mail(user)


# Preferences --------------------------------------------------------------------------------------


def update_profile(
    user: User,
    *,
    name: str,
    organisation: str,
    field_role: FieldRole,
    home_werkplaats_id: int | None,
    locale: str | None,
    timezone: str,
) -> None:
    user.name = name.strip()
    user.organisation = organisation.strip()
    user.field_role = field_role
    user.home_werkplaats_id = home_werkplaats_id
    user.locale = locale
    user.timezone = timezone


def set_language(user, locale: str) -> None:
    """Store the interface language for a signed-in ``user`` (the view keeps it in the session)."""
    if user.is_authenticated:
        user.locale = locale


# Mail ---------------------------------------------------------------------------------------------


def mail_locale(user: User) -> str:
    """The user's own language; without one, the language of the page they are on."""
    if user.locale:
        return user.locale
    if has_request_context():
        return str(get_locale())
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _send(user: User, template: str, subject, **context) -> None:
    with force_locale(mail_locale(user)):
        context = {"user": user, **context}
        send_mail(
            user.email,
            str(subject),
            render_template(f"accounts/email/{template}.txt", **context),
            render_template(f"accounts/email/{template}.html", **context),
        )


def send_verification_mail(user: User, next_url: str | None = None) -> None:
    token = tokens.verification_token(user)
    _send(
        user,
        "verify",
        _l("Confirm your e-mail address for Leerkring"),
        link=url_for("accounts.verify", token=token, next=next_url or None, _external=True),
        valid_for=timedelta(seconds=current_app.config["VERIFY_EMAIL_MAX_AGE"]),
    )


def send_account_exists_mail(user: User, next_url: str | None = None) -> None:
    _send(
        user,
        "account_exists",
        _l("You already have a Leerkring account"),
        login_link=url_for("accounts.login", next=next_url or None, _external=True),
        reset_link=url_for("accounts.forgot_password", _external=True),
    )


def send_reset_mail(user: User) -> None:
    token = tokens.reset_token(user)
    _send(
        user,
        "reset_password",
        _l("Choose a new password for Leerkring"),
        link=url_for("accounts.reset_password", token=token, _external=True),
        valid_for=timedelta(seconds=current_app.config["RESET_PASSWORD_MAX_AGE"]),
    )


def send_password_changed_mail(user: User) -> None:
    _send(
        user,
        "password_changed",
        _l("Your Leerkring password was changed"),
        reset_link=url_for("accounts.forgot_password", _external=True),
    )
