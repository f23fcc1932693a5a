"""Writing, changing and deleting reflections (the view commits)."""

from leerkring.extensions import db
from leerkring.notes import erasure
from leerkring.notes.models import Reflection, ReflectionTemplate, Sharing


def create_reflection(author, template: ReflectionTemplate, *, title: str, parts: dict,
                      sharing: Sharing, circle=None, meeting=None, case=None, visit=None,
                      prompt: str = "") -> Reflection:
    """A new reflection, flushed so it has its id. About a meeting or a case, it belongs to
    that one's circle; about a kitchen visit, to the circle the author chose, if any."""
    if meeting is not None:
        circle = meeting.circle
    elif case is not None:
        circle = case.circle
    reflection = Reflection(
        author=author, template=template, title=title, parts=parts, sharing=sharing,
        circle=circle, meeting=meeting, case=case, visit=visit,
        prompt=prompt if template == ReflectionTemplate.FREE else "",
    )
    db.session.add(reflection)
    db.session.flush()
    return reflection


def update_reflection(reflection: Reflection, *, title: str, parts: dict, sharing: Sharing,
                      circle=None) -> None:
    """New words, sharing and circle (what it is about stays: the form offers no other circle
    than that meeting's or case's)."""
    reflection.title = title
    reflection.parts = dict(parts)
    reflection.sharing = sharing
    reflection.circle = circle
    db.session.flush()


def delete_reflection(reflection: Reflection) -> None:
    """The reflection and its privacy confirmations."""
    erasure.forget_confirmations("reflection", [reflection.id])
    db.session.delete(reflection)
    db.session.flush()
