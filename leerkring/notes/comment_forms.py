"""The comment form: one text, through the privacy guard."""

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from leerkring.notes.guard import GuardedForm

#: The longest comment, in characters.
MAX_LENGTH = 5000


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class CommentForm(GuardedForm):
    """A new comment, a reply or an edit. Several can be on one page at once, so each has its
    own prefix (``comment``, ``reply-<id>``, ``edit-<id>``) and with it its own field ids."""

    body = TextAreaField(
        _l("Your comment"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Write your comment.")),
            Length(max=MAX_LENGTH, message=_l("Keep it under %(max)d characters.")),
        ],
    )
    guarded = ("body",)
