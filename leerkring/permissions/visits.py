"""Access to kitchen visits."""

from leerkring.permissions import admin_werkplaats_ids

# Kitchen visits -----------------------------------------------------------------------------
# A published (or later cancelled) visit is seen by every signed-in user; before that by its host
# and those who approve it: the admins of the host's Werkplaats and the association admins.


def can_offer_visit(user) -> bool:
    """Any verified member of a Werkplaats offers a visit there."""
    return user.is_authenticated and user.is_verified and user.home_werkplaats_id is not None


def can_approve_visit(user, visit) -> bool:
    return user.is_authenticated and (
        user.is_admin or visit.werkplaats_id in admin_werkplaats_ids(user)
    )


def can_approve_visits(user) -> bool:
    """Has visits of some Werkplaats to approve: its admins and the association admins."""
    return user.is_authenticated and (user.is_admin or bool(admin_werkplaats_ids(user)))


def can_manage_visit(user, visit) -> bool:
    """Edit, cancel, see who comes and export the list: the host and those who approve."""
    return _is_host(user, visit) or can_approve_visit(user, visit)


def can_view_visit(user, visit) -> bool:
    from leerkring.visits.models import VisitStatus

    if visit.status in (VisitStatus.PUBLISHED, VisitStatus.CANCELLED):
        return user.is_authenticated
    return can_manage_visit(user, visit)


def can_sign_up_for_visit(user, visit) -> bool:
    """Published and not yet begun (the service checks the time); hosts do not sign up."""
    return user.is_authenticated and visit.is_published and not _is_host(user, visit)


def _is_host(user, visit) -> bool:
    return user.is_authenticated and visit.host_id == user.id


def can_view_visit_overview(user) -> bool:
    """The association's overview of visits between Werkplaatsen: association and Werkplaats
    admins, and policymakers."""
    from leerkring.accounts.models import FieldRole

    return user.is_authenticated and (
        user.is_admin
        or bool(admin_werkplaats_ids(user))
        or user.field_role == FieldRole.POLICYMAKER
    )
