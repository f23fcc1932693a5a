from flask import has_request_context, request
from flask_login import current_user

from leerkring.accounts.models import AuditEvent
from leerkring.extensions import db


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
