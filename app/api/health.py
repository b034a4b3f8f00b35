"""`GET /healthz`: is the database reachable, and Redis if one is configured."""
import sqlalchemy as sa
from flask import jsonify

from app.api import bp
from app.api.auth import public
from app.extensions import db
from app.redis_client import redis_status


@bp.get("/healthz")
@public
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
        database = "ok"
    except sa.exc.SQLAlchemyError:
        database = "error"
    redis = redis_status()
    healthy = database == "ok" and redis != "error"
    body = {"status": "ok" if healthy else "error", "database": database, "redis": redis}
    return jsonify(body), 200 if healthy else 503
