"""Signed, expiring links in e-mail: confirm an address, choose a new password.

Each kind of link has its own salt, so one can never stand in for the other. A reset link carries a
fingerprint of the password hash it was made for: once the password changes, the link is spent.
"""

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from leerkring.accounts.models import User
from leerkring.extensions import db

VERIFY_EMAIL = "leerkring.accounts.verify-email"
RESET_PASSWORD = "leerkring.accounts.reset-password"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=purpose)


def _load(purpose: str, token: str, max_age: int) -> dict | None:
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        return None
    return data


def password_fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:20]


def verification_token(user: User) -> str:
    return _serializer(VERIFY_EMAIL).dumps({"user": user.id, "email": user.email})


def user_for_verification(token: str) -> User | None:
    """The user whose address the link confirms, or None for a bad or expired link."""
    data = _load(VERIFY_EMAIL, token, current_app.config["VERIFY_EMAIL_MAX_AGE"])
    user = db.session.get(User, data["user"]) if data else None
    if user is None or user.email != data.get("email"):
        return None
    return user


def reset_token(user: User) -> str:
    fingerprint = password_fingerprint(user.password_hash)
    return _serializer(RESET_PASSWORD).dumps({"user": user.id, "password": fingerprint})


def user_for_reset(token: str) -> User | None:
    """The user who may choose a new password, or None for a bad, expired or used link."""
    data = _load(RESET_PASSWORD, token, current_app.config["RESET_PASSWORD_MAX_AGE"])
    user = db.session.get(User, data["user"]) if data else None
    if user is None or not hmac.compare_digest(
        str(data.get("password", "")), password_fingerprint(user.password_hash)
    ):
        return None
    return user
