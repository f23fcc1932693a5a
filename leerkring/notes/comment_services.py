"""Comments on a case: flat, with replies one level deep. Reading a page of threads in a fixed
number of queries, and the changes (which never commit)."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.notes import erasure, retention
from leerkring.notes.models import CaseComment

# Reading --------------------------------------------------------------------------------------


@dataclass
class Threads:
    """One page of top-level comments, oldest first, with their replies."""

    pagination: object
    replies: dict[int, list[CaseComment]]

    @property
    def comments(self) -> list[CaseComment]:
        return list(self.pagination.items)


def _top_level(case_id: int):
    return sa.select(CaseComment).where(
        CaseComment.case_id == case_id, CaseComment.parent_id.is_(None)
    )


def _page(case_id: int, page: int):
    return db.paginate(
        _top_level(case_id)
        .options(joinedload(CaseComment.author))
        .order_by(CaseComment.created_at, CaseComment.id),
        page=page, per_page=current_app.config["PER_PAGE"], error_out=False,
    )


def threads(case, page: int = 1) -> Threads:
    """Three queries whatever the number of comments: the count, the page, and all its replies.
    A page past the end (the last comment on it was just deleted) shows the last page."""
    pagination = _page(case.id, page)
    if pagination.page > max(pagination.pages, 1):
        pagination = _page(case.id, pagination.pages)
    replies: dict[int, list[CaseComment]] = {c.id: [] for c in pagination.items}
    if replies:
        rows = db.session.execute(
            sa.select(CaseComment)
            .where(CaseComment.parent_id.in_(replies))
            .options(joinedload(CaseComment.author))
            .order_by(CaseComment.created_at, CaseComment.id)
        ).scalars()
        for reply in rows:
            replies[reply.parent_id].append(reply)
    return Threads(pagination, replies)


def replies_to(comment: CaseComment) -> list[CaseComment]:
    return list(db.session.execute(
        sa.select(CaseComment)
        .where(CaseComment.parent_id == comment.id)
        .order_by(CaseComment.created_at, CaseComment.id)
    ).scalars())


def page_of(comment: CaseComment) -> int:
    """The page of its case's comments that shows ``comment`` (a reply is on its parent's)."""
    top = comment if comment.parent_id is None else db.session.get(CaseComment, comment.parent_id)
    earlier = db.session.scalar(
        sa.select(sa.func.count()).select_from(
            _top_level(top.case_id).where(
                sa.or_(
                    CaseComment.created_at < top.created_at,
                    sa.and_(CaseComment.created_at == top.created_at, CaseComment.id < top.id),
                )
            ).subquery()
        )
    )
    return earlier // current_app.config["PER_PAGE"] + 1


def thread_of(comment: CaseComment) -> CaseComment:
    """The top-level comment a reply belongs to; a reply to a reply joins the same thread."""
    if comment.parent_id is None:
        return comment
    return db.session.get(CaseComment, comment.parent_id)


# Changes --------------------------------------------------------------------------------------


def add_comment(case, author, body: str, parent: CaseComment | None = None,
                now: datetime | None = None) -> CaseComment:
    """A new comment, or a reply to ``parent``'s thread; it counts as activity on the case."""
    now = now or utcnow()
    comment = CaseComment(
        case=case, author_id=author.id, body=body,
        parent_id=thread_of(parent).id if parent is not None else None, created_at=now,
    )
    db.session.add(comment)
    retention.touch(case, now)
    db.session.flush()
    return comment


def edit_comment(comment: CaseComment, body: str, now: datetime | None = None) -> None:
    if body == comment.body:
        return
    now = now or utcnow()
    comment.body = body
    comment.edited_at = now
    retention.touch(comment.case, now)


def delete_comment(comment: CaseComment) -> int:
    """Delete the comment and, for a top-level one, its replies, with their privacy
    confirmations; returns how many replies went."""
    replies = list(db.session.execute(
        sa.select(CaseComment.id).where(CaseComment.parent_id == comment.id)
    ).scalars())
    erasure.forget_confirmations("comment", [comment.id, *replies])
    if replies:
        db.session.execute(sa.delete(CaseComment).where(CaseComment.id.in_(replies)))
    db.session.delete(comment)
    return len(replies)
