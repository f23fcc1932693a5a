# Placeholder routes so the layout renders; replaced by the circles area.
from leerkring.circles import bp
from leerkring.permissions import public


@bp.get("/")
@public
def index():
    return "circles"
