"""Access to the library, theme groups and the impact page.

A library item is a draft of its makers (its creator and its authors with an account) until they
submit it; then those who publish it see it too: the admins of its Werkplaatsen, or for a
national item (no Werkplaats) the association's admins, who may publish any item. A published
item is seen by every signed-in user, and by anyone when it is public."""

from leerkring.permissions import admin_werkplaats_ids

# Library items ------------------------------------------------------------------------------


def can_add_library_item(user) -> bool:
    """Any verified member of a Werkplaats."""
    return user.is_authenticated and user.is_verified and user.home_werkplaats_id is not None


def is_maker(user, item) -> bool:
    return user.is_authenticated and (
        item.created_by_id == user.id or any(author.id == user.id for author in item.authors)
    )


def can_publish_library_item(user, item) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    return any(werkplaats.id in admin_werkplaats_ids(user) for werkplaats in item.werkplaatsen)


def can_publish_library_items(user) -> bool:
    """Has items of some Werkplaats to publish: its admins and the association admins."""
    return user.is_authenticated and (user.is_admin or bool(admin_werkplaats_ids(user)))


def can_view_library_item(user, item) -> bool:
    from leerkring.library.models import ItemStatus

    if item.status == ItemStatus.PUBLISHED:
        return item.is_public or user.is_authenticated
    if item.status == ItemStatus.SUBMITTED and can_publish_library_item(user, item):
        return True
    return is_maker(user, item)


def can_edit_library_item(user, item) -> bool:
    """Its makers before it is published; those who publish it, always."""
    return can_publish_library_item(user, item) or (
        is_maker(user, item) and not item.is_published
    )


def can_bring_into_circle(user, item, membership) -> bool:
    """Put a published item on a meeting's agenda: the circle's coordinators (``membership`` is
    the user's in that circle)."""
    return item.is_published and membership is not None and membership.is_coordinator


# Theme groups -------------------------------------------------------------------------------
# A theme page is public; its meetings, visits and people are for signed-in users, and its
# library items follow ``can_view_library_item``.


def can_join_theme(user) -> bool:
    """Follow a theme and show yourself on its page: every signed-in user."""
    return user.is_authenticated


def can_see_theme_people(user) -> bool:
    return user.is_authenticated


def can_name_theme_roles(user, theme) -> bool:
    """Name the programme's ambassadors and content experts: the association's admins."""
    return user.is_authenticated and user.is_admin and theme.is_programme


# The lemniscate: sharing what was learned, bringing an item into a circle ---------------------


def can_share_case_lesson(user, case) -> bool:
    """Turn a closed case's "what we learned" into a draft library item: the case's author
    (whose consent it takes), once the circle has written the lesson."""
    return (
        can_add_library_item(user) and case.author_id == user.id and case.is_closed
        and bool(case.lesson.strip())
    )


def can_share_visit_report(user, report) -> bool:
    """Turn a visit report into a draft library item: its author."""
    return can_add_library_item(user) and report.author_id == user.id


def can_bring_into_some_circle(user, item) -> bool:
    """The "bring into a circle" form: coordinators of at least one circle, for a published
    item (the form offers only coming meetings of the circles they coordinate)."""
    from leerkring.permissions.visits import member_circle_roles

    return item.is_published and any(member_circle_roles(user).values())


def can_take_off_agenda(user, placement, membership) -> bool:
    """Take a library item off a meeting's agenda: the circle's coordinators (``membership`` is
    the user's in the placement's circle)."""
    return membership is not None and membership.is_coordinator


# Impact ---------------------------------------------------------------------------------------


def can_view_impact(user) -> bool:
    """The whole picture: association and Werkplaats admins, and policymakers. Coordinators see
    the figures of their own circles (the page limits them)."""
    from leerkring.accounts.models import FieldRole

    return user.is_authenticated and (
        user.is_admin
        or bool(admin_werkplaats_ids(user))
        or user.field_role == FieldRole.POLICYMAKER
    )


def can_view_own_impact(user) -> bool:
    """The impact page limited to the circles one coordinates: coordinators."""
    from leerkring.permissions.visits import member_circle_roles

    return any(member_circle_roles(user).values())


def can_open_impact(user) -> bool:
    """Whether /impact/ shows anything at all (the whole picture, or one's own circles); for
    the navigation, so at most one query."""
    from leerkring.accounts.models import FieldRole

    if not user.is_authenticated:
        return False
    if user.is_admin or user.field_role == FieldRole.POLICYMAKER:
        return True
    import sqlalchemy as sa

    from leerkring.circles.models import CircleRole, Membership
    from leerkring.extensions import db
    from leerkring.werkplaatsen.models import werkplaats_admins

    administers = sa.exists().where(werkplaats_admins.c.user_id == user.id)
    coordinates = sa.exists().where(
        Membership.user_id == user.id, Membership.role == CircleRole.COORDINATOR
    )
    return db.session.execute(sa.select(sa.or_(administers, coordinates))).scalar_one()
