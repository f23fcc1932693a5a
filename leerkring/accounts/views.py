# Placeholder routes so the layout renders; replaced by the accounts area.
from leerkring.accounts import bp
from leerkring.permissions import public


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    return "login"


@bp.post("/logout")
def logout():
    return "logout"


@bp.route("/register", methods=["GET", "POST"])
@public
def register():
    return "register"


@bp.route("/profile", methods=["GET", "POST"])
def profile():
    return "profile"


@bp.post("/language")
@public
def set_language():
    return "language"
