# Placeholder routes so the layout renders; replaced by the notifications area.
from leerkring.notifications import bp


@bp.get("/")
def index():
    return "notifications"
