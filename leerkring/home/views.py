import sqlalchemy as sa
from flask import jsonify

from leerkring.extensions import db
from leerkring.home import bp
from leerkring.permissions import public


@bp.get("/healthz")
@public
def healthz():
    """200 after a database round-trip; 503 when the database does not answer."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database=False), 503
    return jsonify(status="ok", database=True)


@bp.get("/")
@public
def index():
    return "home"
