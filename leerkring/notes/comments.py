"""Comments on a case: flat, with replies one level deep, through the privacy guard. The case page
shows them as a section (``page_context`` and ``notes/_comments.html``); the section also has its
own URL, which htmx swaps for paging and after each change."""

from flask import abort, flash, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_htmx import make_response as htmx_response
from flask_login import current_user

from leerkring.extensions import db
from leerkring.notes import bp
from leerkring.notes import comment_services as services
from leerkring.notes.comment_forms import CommentForm
from leerkring.notes.guard import record_confirmation
from leerkring.notes.models import CaseComment
from leerkring.notes.queries import load_case
from leerkring.permissions import can_comment_case, can_edit_comment, require
from leerkring.web import redirect_to, render, wants_partial

NEW_PREFIX = "comment"


def reply_prefix(parent_id: int) -> str:
    return f"reply-{parent_id}"


def edit_prefix(comment_id: int) -> str:
    return f"edit-{comment_id}"


def page_context(case, membership, page: int = 1) -> dict:
    """What the comments section needs on the case page (and on the section's own page)."""
    threads = services.threads(case, page)
    shown = [*threads.comments, *(r for rs in threads.replies.values() for r in rs)]
    can_comment = can_comment_case(current_user, case, membership)
    return {
        "comments": threads.comments,
        "comment_replies": threads.replies,
        "comment_pages": threads.pagination,
        "can_comment": can_comment,
        "editable_comments": {
            c.id for c in shown if can_edit_comment(current_user, c, membership)
        },
        "comment_form": CommentForm(formdata=None, prefix=NEW_PREFIX) if can_comment else None,
    }


def _load_comment(comment_id: int):
    """The comment, its case and the user's membership; 404 when the case is hidden."""
    comment = db.get_or_404(CaseComment, comment_id)
    case, membership = load_case(comment.case_id)
    return comment, case, membership


def _section_context(case, membership, page: int, **extra) -> dict:
    return {"case": case, "membership": membership,
            **page_context(case, membership, page), **extra}


def _comment_url(comment) -> str:
    return url_for("notes.comments", case_id=comment.case_id, page=services.page_of(comment),
                   _anchor=f"comment-{comment.id}")


def _updated_section(case, membership, page: int):
    """After a change: the whole section again, with the flash out of band, wherever the form
    that made the change sat."""
    html = render_template("notes/_comments_fragment.html",
                           **_section_context(case, membership, page, oob=True))
    return htmx_response(html, retarget="#comments", reswap="outerHTML")


# The section ---------------------------------------------------------------------------------


@bp.get("/notes/<int:case_id>/comments")
def comments(case_id: int):
    case, membership = load_case(case_id)
    page = request.args.get("page", 1, type=int)
    return render("notes/comments.html", "notes/_comments.html",
                  **_section_context(case, membership, page))


def _parent(case) -> CaseComment | None:
    """The comment a reply answers, named by ``parent_id``; it must be on this case."""
    raw = request.form.get("parent_id", "").strip()
    if not raw:
        return None
    parent = db.get_or_404(CaseComment, int(raw)) if raw.isdigit() else abort(404)
    if parent.case_id != case.id:
        abort(make_response(render_template(
            "errors/error.html", status=400, title=_("This reply cannot be posted"),
            message=_("You can only reply to a comment on the same case. Nothing was saved."),
        ), 400))
    return parent


@bp.post("/notes/<int:case_id>/comments")
def post_comment(case_id: int):
    case, membership = load_case(case_id)
    require(can_comment_case(current_user, case, membership))
    parent = _parent(case)
    form = CommentForm(prefix=reply_prefix(parent.id) if parent else NEW_PREFIX)
    if not form.validate():
        if parent is not None:
            return _reply_form_page(case, parent, form, status=422)
        context = _section_context(case, membership, request.args.get("page", 1, type=int))
        return render("notes/comments.html", "notes/_comment_form.html", status=422,
                      **dict(context, comment_form=form))
    comment = services.add_comment(case, current_user, form.body.data, parent)
    record_confirmation(form, current_user, "comment", comment.id)
    db.session.commit()
    flash(_("Your reply is posted.") if parent else _("Your comment is posted."), "success")
    if wants_partial():
        return _updated_section(case, membership, services.page_of(comment))
    return redirect_to(_comment_url(comment))


# Replying ------------------------------------------------------------------------------------


def _reply_form_page(case, parent, form, status=200):
    """The reply form: in place under the thread (htmx), or on a page of its own."""
    thread = services.thread_of(parent)
    return render(
        "notes/comment_reply.html", "notes/_comment_reply_form.html", status=status,
        case=case, parent=parent, thread=thread, reply_form=form,
        thread_url=url_for("notes.comments", case_id=case.id, page=services.page_of(thread),
                           _anchor=f"comment-{thread.id}"),
    )


@bp.get("/notes/comments/<int:comment_id>/reply")
def reply_to_comment(comment_id: int):
    comment, case, membership = _load_comment(comment_id)
    require(can_comment_case(current_user, case, membership))
    thread = services.thread_of(comment)
    form = CommentForm(formdata=None, prefix=reply_prefix(thread.id))
    return _reply_form_page(case, thread, form)


# Editing and deleting -----------------------------------------------------------------------


@bp.route("/notes/comments/<int:comment_id>/edit", methods=["GET", "POST"])
def edit_comment(comment_id: int):
    comment, case, membership = _load_comment(comment_id)
    require(can_edit_comment(current_user, comment, membership))
    form = CommentForm(obj=comment, prefix=edit_prefix(comment.id))
    if form.validate_on_submit():
        services.edit_comment(comment, form.body.data)
        record_confirmation(form, current_user, "comment", comment.id)
        db.session.commit()
        flash(_("Your comment is saved."), "success")
        if wants_partial():
            return render(
                "notes/_comment_saved.html", "notes/_comment_saved.html",
                case=case, comment=comment, oob=True,
                editable_comments={comment.id},
                comment_replies={comment.id: services.replies_to(comment)},
            )
        return redirect_to(_comment_url(comment))
    return render(
        "notes/comment_edit.html", "notes/_comment_edit_form.html",
        status=422 if form.is_submitted() else 200,
        case=case, comment=comment, form=form,
        back_url=_comment_url(comment),
    )


@bp.post("/notes/comments/<int:comment_id>/delete")
def delete_comment(comment_id: int):
    comment, case, membership = _load_comment(comment_id)
    require(can_edit_comment(current_user, comment, membership))
    page = services.page_of(comment)
    replies = services.delete_comment(comment)
    db.session.commit()
    if replies:
        flash(ngettext("The comment and %(num)d reply to it are deleted.",
                       "The comment and %(num)d replies to it are deleted.", replies), "success")
    else:
        flash(_("The comment is deleted."), "success")
    if wants_partial():
        return _updated_section(case, membership, page)
    return redirect_to(url_for("notes.comments", case_id=case.id, page=page, _anchor="comments"))
