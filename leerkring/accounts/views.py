"""Register, confirm, log in and out, passwords, profile and language, and the user's data
rights: downloading their data, deleting their account (all under /account)."""

import json

from flask import current_app, flash, make_response, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh, to_user_timezone
from flask_login import current_user, login_user, logout_user

from leerkring.accounts import bp, data_rights, services, tokens
from leerkring.accounts.forms import (
    FIELD_ROLE_LABELS,
    ChangePasswordForm,
    DeleteAccountForm,
    EmailForm,
    LanguageForm,
    LoginForm,
    NewPasswordForm,
    ProfileForm,
    RegisterForm,
)
from leerkring.accounts.models import FieldRole
from leerkring.accounts.passwords import check_password
from leerkring.db import utcnow
from leerkring.extensions import db, limiter
from leerkring.permissions import public
from leerkring.web import redirect_to, render, safe_next


def _limit(setting: str):
    """Flask-Limiter's per-address limit from ``setting``, counted on POST only."""
    return limiter.limit(lambda: current_app.config[setting], methods=["POST"])


def _status(form) -> int:
    return 422 if form.errors else 200


def _werkplaats_id(value: str) -> int | None:
    return int(value) if value else None


def _renew_session() -> None:
    """Empty the session (so nothing planted in it survives); keep only the chosen language."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def _start_session(user, remember: bool) -> None:
    _renew_session()
    login_user(user, remember=remember)


def _failure_reason(user, password_ok: bool) -> str:
    if user is None:
        return "unknown account"
    return "unverified" if password_ok else "wrong password"


def _remembered() -> bool:
    name = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return bool(request.cookies.get(name))


@bp.app_template_filter("field_role")
def field_role_label(role) -> str:
    return str(FIELD_ROLE_LABELS[FieldRole(role)])


# Registration and confirmation -------------------------------------------------------------------


@bp.route("/register", methods=["GET", "POST"])
@public
@_limit("RATELIMIT_REGISTER")
def register():
    if current_user.is_authenticated:
        return redirect_to(safe_next(url_for("home.index")))
    form = RegisterForm()
    if request.method == "GET" and not form.email.data:
        form.email.data = request.args.get("email", "")[:254]
    next_url = safe_next("")
    if form.validate_on_submit():
        services.register(
            name=form.name.data,
            email=form.email.data,
            password=form.password.data,
            field_role=FieldRole(form.field_role.data),
            home_werkplaats_id=_werkplaats_id(form.home_werkplaats.data),
            organisation=form.organisation.data or "",
            locale=session.get("locale"),
            next_url=next_url or None,
        )
        db.session.commit()
        return redirect_to(url_for("accounts.verify", next=next_url or None))
    return render("accounts/register.html", form=form, next=next_url, status=_status(form))


@bp.get("/verify", defaults={"token": None})
@bp.get("/verify/<token>")
@public
def verify(token):
    """Without a token: "check your mail". With one: confirm the address, then log in."""
    next_url = safe_next("")
    if token is None:
        return render("accounts/check_mail.html", next=next_url)
    user = tokens.user_for_verification(token)
    if user is None:
        return render("accounts/link_invalid.html", kind="verify", status=400)
    services.confirm_email(user)
    db.session.commit()
    flash(_("Your e-mail address is confirmed."), "success")
    if current_user.is_authenticated:
        return redirect_to(next_url or url_for("home.index"))
    return redirect_to(url_for("accounts.login", next=next_url or None))


@bp.route("/verify/resend", methods=["GET", "POST"])
@public
@_limit("RATELIMIT_RESEND_VERIFICATION")
def resend_verification():
    form = EmailForm()
    next_url = safe_next("")
    if form.validate_on_submit():
        services.resend_verification(form.email.data, next_url or None)
        db.session.commit()
        return redirect_to(url_for("accounts.verify", next=next_url or None))
    return render("accounts/resend.html", form=form, next=next_url, status=_status(form))


# Logging in and out ------------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@public
@_limit("RATELIMIT_LOGIN")
def login():
    next_url = safe_next("")
    if current_user.is_authenticated:
        return redirect_to(next_url or url_for("home.index"))
    form = LoginForm()
    refusal = None
    if form.validate_on_submit():
        user, password_ok = services.authenticate(form.email.data, form.password.data)
        if password_ok and user.is_verified:
            services.record_login(user, form.password.data)
            db.session.commit()
            _start_session(user, remember=form.remember.data)
            return redirect_to(next_url or url_for("home.index"))
        refusal = "unverified" if password_ok else "invalid"
        services.record_failed_login(user, reason=_failure_reason(user, password_ok))
        db.session.commit()
    status = 422 if form.errors or refusal else 200
    return render("accounts/login.html", form=form, refusal=refusal, next=next_url, status=status)


@bp.post("/logout")
def logout():
    services.audit("logout")
    db.session.commit()
    _renew_session()
    logout_user()  # after emptying the session: it marks the remember-me cookie for removal
    flash(_("You are logged out."), "success")
    return redirect_to(url_for("home.index"))


# Passwords ---------------------------------------------------------------------------------------


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@_limit("RATELIMIT_PASSWORD_RESET")
def forgot_password():
    form = EmailForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(
            _("If there is an account for that address, we have sent it a link to choose a new "
              "password. Check your mail, and your spam folder."),
            "success",
        )
        return redirect_to(url_for("accounts.login"))
    return render("accounts/forgot_password.html", form=form, status=_status(form))


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
@_limit("RATELIMIT_PASSWORD_RESET")
def reset_password(token):
    user = tokens.user_for_reset(token)
    if user is None:
        return render("accounts/link_invalid.html", kind="reset", status=400)
    form = NewPasswordForm()
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        db.session.commit()
        flash(_("Your new password is set. Log in with it."), "success")
        return redirect_to(url_for("accounts.login"))
    return render("accounts/reset_password.html", form=form, token=token, status=_status(form))


@bp.route("/password", methods=["GET", "POST"])
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if check_password(user.password_hash, form.current_password.data):
            services.change_password(user, form.new_password.data)
            db.session.commit()
            login_user(user, remember=_remembered())  # this session goes on with the new token
            flash(_("Your password is changed. You are logged out on your other devices."),
                  "success")
            return redirect_to(url_for("accounts.profile"))
        form.current_password.errors.append(_("This is not your current password."))
    return render("accounts/change_password.html", form=form, status=_status(form))


# Profile and language ----------------------------------------------------------------------------


@bp.route("/profile", methods=["GET", "POST"])
def profile():
    user = current_user._get_current_object()
    form = ProfileForm(data={
        "name": user.name,
        "organisation": user.organisation,
        "field_role": user.field_role.value,
        "home_werkplaats": str(user.home_werkplaats_id or ""),
        "locale": user.locale or "",
        "timezone": user.timezone,
    })
    if form.validate_on_submit():
        services.update_profile(
            user,
            name=form.name.data,
            organisation=form.organisation.data or "",
            field_role=FieldRole(form.field_role.data),
            home_werkplaats_id=_werkplaats_id(form.home_werkplaats.data),
            locale=form.locale.data or None,
            timezone=form.timezone.data,
        )
        db.session.commit()
        if user.locale:
            session["locale"] = user.locale
        else:
            session.pop("locale", None)
        refresh()  # say it in the language just chosen
        flash(_("Your profile is saved."), "success")
        return redirect_to(url_for("accounts.profile"))
    from leerkring.meetings.calendar import feed_settings

    calendar = feed_settings(user)
    db.session.commit()  # the personal calendar feed is made on first view
    return render("accounts/profile.html", form=form, status=_status(form), **calendar)


@bp.post("/language")
@public
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        services.set_language(current_user, form.locale.data)
        db.session.commit()
    return redirect_to(safe_next(url_for("home.index")))


# Data rights -------------------------------------------------------------------------------------


@bp.get("/export")
def export_data():
    """All of the user's data as a JSON download (recorded in the audit log, without content)."""
    data = data_rights.export(current_user._get_current_object())
    db.session.commit()
    day = to_user_timezone(utcnow()).date().isoformat()
    response = make_response(
        json.dumps(data, default=data_rights.jsonable, ensure_ascii=False, indent=2)
    )
    response.mimetype = "application/json"
    response.headers["Content-Disposition"] = f'attachment; filename="leerkring-export-{day}.json"'
    return response


@bp.route("/delete", methods=["GET", "POST"])
@_limit("RATELIMIT_LOGIN")
def delete_account():
    """Show what deleting the account does; with the password and an explicit yes, do it."""
    user = current_user._get_current_object()
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if check_password(user.password_hash, form.password.data):
            data_rights.delete_account(user)
            db.session.commit()
            _renew_session()
            logout_user()
            flash(_("Your account is deleted. Thank you for learning with us; goodbye."),
                  "success")
            return redirect_to(url_for("home.index"))
        form.password.errors.append(_("This is not your password."))
        services.audit("account_delete_refused", user=user, detail="wrong password")
        db.session.commit()
    consequences = data_rights.consequences(user)
    return render(
        "accounts/delete_account.html",
        form=form,
        cautions=[line for line in consequences if getattr(line, "is_caution", False)],
        consequences=[line for line in consequences if not getattr(line, "is_caution", False)],
        status=_status(form),
    )
