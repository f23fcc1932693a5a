# Placeholder routes so the layout renders; replaced by the werkplaatsen area.
from leerkring.permissions import public
from leerkring.werkplaatsen import bp


@bp.get("/werkplaatsen/")
@public
def index():
    return "werkplaatsen"
