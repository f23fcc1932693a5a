"""Library items from writing to publishing: add and edit an item (with an uploaded document),
its page at a clean URL with an Open Graph summary, its document as a download, submitting,
publishing, sending back to draft, deleting a draft, "My library items" and "To publish".

The item page and the download are public views, and the item's access rule decides: a
published public item is open to everyone, a published item to everyone signed in (an
anonymous visitor is asked to sign in), anything else only to its makers and publishers (404
for the rest)."""

import re
import unicodedata

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from leerkring.extensions import db, login_manager
from leerkring.library import bp, storage
from leerkring.library import item_services as services
from leerkring.library.item_forms import (
    ConfirmItemForm,
    ItemForm,
    SendBackForm,
    item_data,
    kind_label,
    licence_label,
    o_label,
)
from leerkring.library.models import ItemStatus, LibraryItem, library_item_authors
from leerkring.permissions import (
    admin_werkplaats_ids,
    can_add_library_item,
    can_edit_library_item,
    can_publish_library_item,
    can_publish_library_items,
    can_view_library_item,
    is_maker,
    public,
    require,
)
from leerkring.web import paginate, redirect_to, render

STATUS_LABELS = {
    ItemStatus.DRAFT: _l("Draft"),
    ItemStatus.SUBMITTED: _l("Submitted"),
    ItemStatus.PUBLISHED: _l("Published"),
}

#: The download is never shown in the app's origin: a sandbox without scripts or plugins.
DOCUMENT_CSP = "sandbox; default-src 'none'"


# Loading and URLs -------------------------------------------------------------------------------


def item_options():
    return (
        selectinload(LibraryItem.themes),
        selectinload(LibraryItem.werkplaatsen),
        selectinload(LibraryItem.authors),
        selectinload(LibraryItem.os),
        joinedload(LibraryItem.created_by),
    )


def load_item(item_id: int) -> LibraryItem:
    item = db.session.execute(
        sa.select(LibraryItem).where(LibraryItem.id == item_id).options(*item_options())
    ).scalar()
    if item is None:
        abort(404)
    return item


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-") or "item"


def item_slug(item: LibraryItem) -> str:
    """The slug of the item's URL: made from its title, with the id added where the title would
    name another page (an item called "Edit")."""
    slug = slugify(item.title)
    adapter = current_app.url_map.bind(current_app.config.get("SERVER_NAME") or "localhost")
    try:
        endpoint, _args = adapter.match(f"/library/{item.id}/{slug}", method="GET")
    except (NotFound, MethodNotAllowed, RequestRedirect):
        endpoint = None
    return slug if endpoint == "library.item" else f"{slug}-{item.id}"


def item_url(item: LibraryItem, **kwargs) -> str:
    return url_for("library.item", item_id=item.id, slug=item_slug(item), **kwargs)


def document_size(item: LibraryItem) -> str:
    if item.document_size >= 1024 * 1024:
        return _("%(size)s MB", size=format_decimal(round(item.document_size / 1048576, 1)))
    return _("%(size)s kB", size=format_decimal(max(1, round(item.document_size / 1024))))


@bp.app_context_processor
def library_item_helpers():
    return {"library_item_url": item_url}


@bp.context_processor
def item_labels():
    return {"kind_label": kind_label, "o_label": o_label, "licence_label": licence_label,
            "document_size": document_size, "status_labels": STATUS_LABELS,
            "max_upload_mb": lambda: f'{float(current_app.config["LIBRARY_MAX_UPLOAD_MB"]):g}'}


def load_visible(item_id: int) -> LibraryItem:
    """The item, or 404 for whoever may not see it (on the pages that need a login)."""
    item = load_item(item_id)
    require(can_view_library_item(current_user, item), hide=True)
    return item


def require_view(item: LibraryItem):
    """None when the user may see the item; else the response: sign in, or 404."""
    if can_view_library_item(current_user, item):
        return None
    if not current_user.is_authenticated and item.is_published:
        return login_manager.unauthorized()
    require(False, hide=True)


# Writing ----------------------------------------------------------------------------------------


def form_choices(item: LibraryItem | None) -> dict:
    from leerkring.accounts.models import User
    from leerkring.circles.models import Circle, Membership
    from leerkring.werkplaatsen.models import Theme, Werkplaats, WerkplaatsKind

    themes = db.session.execute(sa.select(Theme).order_by(Theme.name)).scalars().all()
    werkplaatsen = db.session.execute(
        sa.select(Werkplaats).where(Werkplaats.kind == WerkplaatsKind.WERKPLAATS)
        .order_by(Werkplaats.name)
    ).scalars().all()
    mine = sa.select(Membership.circle_id).join(Circle, Circle.id == Membership.circle_id).where(
        Membership.user_id == current_user.id, Circle.archived_at.is_(None))
    wanted = [current_user.id, *(user.id for user in (item.authors if item else ()))]
    people = db.session.execute(
        sa.select(User).where(sa.or_(
            User.id.in_(wanted),
            User.id.in_(sa.select(Membership.user_id).where(Membership.circle_id.in_(mine))),
        )).order_by(User.name, User.id)
    ).scalars().all()
    return {"themes": themes, "werkplaatsen": werkplaatsen, "people": people}


def form_page(form, item, status):
    return render("library/item_form.html", "library/_item_form.html", status=status,
                  form=form, item=item)


@bp.route("/library/new", methods=["GET", "POST"])
def new_item():
    require(can_add_library_item(current_user))
    form = ItemForm(**form_choices(None), data={"authors": [current_user.id]})
    if form.validate_on_submit():
        item = services.create_item(current_user, document=form.checked_document,
                                    **form.fields())
        db.session.commit()
        flash(_("Your library item is saved as a draft. Submit it when it is ready to be "
                "published."))
        return redirect_to(item_url(item))
    return form_page(form, None, 422 if form.is_submitted() else 200)


@bp.route("/library/<int:item_id>/edit", methods=["GET", "POST"])
def edit_item(item_id: int):
    item = load_visible(item_id)
    require(can_edit_library_item(current_user, item))
    form = ItemForm(**form_choices(item), data=item_data(item),
                    has_document=item.document_key is not None)
    if form.validate_on_submit():
        gone = services.update_item(item, document=form.checked_document,
                                    remove_document=bool(form.remove_document.data),
                                    **form.fields())
        db.session.commit()
        services.remove_files(gone)
        flash(_("The changes are saved."))
        return redirect_to(item_url(item))
    return form_page(form, item, 422 if form.is_submitted() else 200)


# Reading ----------------------------------------------------------------------------------------


@bp.get("/library/<int:item_id>", endpoint="item")
@bp.get("/library/<int:item_id>/<slug>", endpoint="item")
@public
def show_item(item_id: int, slug: str | None = None):
    item = load_item(item_id)
    refused = require_view(item)
    if refused is not None:
        return refused
    if slug != item_slug(item):
        return redirect(item_url(item), code=301)
    return render(
        "library/item.html",
        item=item,
        can_edit=can_edit_library_item(current_user, item),
        can_publish=can_publish_library_item(current_user, item),
        is_maker=is_maker(current_user, item),
        confirm_form=ConfirmItemForm(formdata=None),
    )


@bp.get("/library/<int:item_id>/document")
@public
def document(item_id: int):
    """The uploaded document, only ever as a download of the type its bytes were checked as."""
    item = load_item(item_id)
    refused = require_view(item)
    if refused is not None:
        return refused
    if not item.document_key:
        abort(404)
    path = storage.path_of(item.document_key)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=item.document_type, as_attachment=True,
                         download_name=item.document_name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = DOCUMENT_CSP
    response.headers["Cache-Control"] = "private, no-cache"
    return response


# Publishing -------------------------------------------------------------------------------------


@bp.post("/library/<int:item_id>/submit")
def submit(item_id: int):
    item = load_visible(item_id)
    require(is_maker(current_user, item))
    if ConfirmItemForm().validate_on_submit() and item.status == ItemStatus.DRAFT:
        services.submit(item)
        db.session.commit()
        flash(_("Your library item is submitted. It is published once an admin has looked at "
                "it."))
    return redirect_to(item_url(item))


@bp.post("/library/<int:item_id>/publish")
def publish(item_id: int):
    item = load_visible(item_id)
    require(can_publish_library_item(current_user, item))
    if ConfirmItemForm().validate_on_submit() and item.status == ItemStatus.SUBMITTED:
        services.publish(item, current_user)
        db.session.commit()
        services.mail_makers(item, current_user, "item_mail_published.txt",
                             services.PUBLISHED_SUBJECT)
        flash(_("The item is published; its makers are told."))
    return redirect_to(item_url(item))


@bp.route("/library/<int:item_id>/send-back", methods=["GET", "POST"])
def send_back(item_id: int):
    """A publisher sends a submitted item back to draft, or takes a published one back, with a
    reason for the makers."""
    item = load_visible(item_id)
    require(can_publish_library_item(current_user, item))
    if item.status == ItemStatus.DRAFT:
        flash(_("This item is a draft already."))
        return redirect_to(item_url(item))
    form = SendBackForm()
    if form.validate_on_submit():
        was_published = item.is_published
        reason = form.reason.data.strip()
        services.send_back(item, current_user, reason)
        db.session.commit()
        services.mail_makers(item, current_user, "item_mail_sent_back.txt",
                             services.SENT_BACK_SUBJECT,
                             reason=reason, was_published=was_published)
        flash(_("The item is a draft again; its makers are told why."))
        return redirect_to(item_url(item))
    return render("library/item_send_back.html", status=422 if form.is_submitted() else 200,
                  form=form, item=item)


@bp.route("/library/<int:item_id>/delete", methods=["GET", "POST"])
def delete_item(item_id: int):
    """Makers delete a draft: GET asks for the confirmation, POST deletes."""
    item = load_visible(item_id)
    require(is_maker(current_user, item) and item.status == ItemStatus.DRAFT)
    form = ConfirmItemForm()
    if form.validate_on_submit():
        key = services.delete_item(item)
        db.session.commit()
        services.remove_files([key] if key else [])
        flash(_("The draft is deleted."))
        return redirect_to(url_for("library.mine"))
    return render("library/item_delete.html", form=form, item=item)


# Lists ------------------------------------------------------------------------------------------

STATUS_FILTERS = {"draft": ItemStatus.DRAFT, "submitted": ItemStatus.SUBMITTED,
                  "published": ItemStatus.PUBLISHED}


@bp.get("/library/mine")
def mine():
    """The items I made or wrote, drafts first."""
    status = STATUS_FILTERS.get(request.args.get("status", ""))
    authored = sa.select(library_item_authors.c.item_id).where(
        library_item_authors.c.user_id == current_user.id)
    select = (
        sa.select(LibraryItem)
        .where(sa.or_(LibraryItem.created_by_id == current_user.id,
                      LibraryItem.id.in_(authored)))
        .options(selectinload(LibraryItem.werkplaatsen))
        .order_by(sa.case({ItemStatus.DRAFT: 0, ItemStatus.SUBMITTED: 1},
                          value=LibraryItem.status, else_=2),
                  LibraryItem.updated_at.desc(), LibraryItem.id.desc())
    )
    if status is not None:
        select = select.where(LibraryItem.status == status)
    return render("library/item_mine.html", "library/_item_mine.html",
                  results=paginate(select), status_filter=request.args.get("status", "")
                  if status else "", can_add=can_add_library_item(current_user))


@bp.get("/library/to-publish")
def to_publish():
    """Submitted items waiting for me: of the Werkplaatsen I administer, or all for the
    association's admins."""
    require(can_publish_library_items(current_user))
    from leerkring.library.models import library_item_werkplaatsen

    select = (
        sa.select(LibraryItem)
        .where(LibraryItem.status == ItemStatus.SUBMITTED)
        .options(selectinload(LibraryItem.werkplaatsen), joinedload(LibraryItem.created_by))
        .order_by(LibraryItem.submitted_at, LibraryItem.id)
    )
    if not current_user.is_admin:
        select = select.where(LibraryItem.id.in_(
            sa.select(library_item_werkplaatsen.c.item_id).where(
                library_item_werkplaatsen.c.werkplaats_id.in_(admin_werkplaats_ids(current_user))
            )
        ))
    return render("library/item_to_publish.html", "library/_item_to_publish.html",
                  results=paginate(select))
