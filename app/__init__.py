"""Stellary: `create_app()` builds the one Flask application that serves the HTML pages and
the JSON API over the same services."""
import sqlalchemy as sa
from flask import Flask, g
from sqlalchemy.exc import IntegrityError

from app.config import INSTANCE, ROOT, Config
from app.extensions import csrf, db, htmx, login_manager, migrate


def create_app(config: Config | None = None) -> Flask:
    """Build the application. Raises RuntimeError when the configuration is unsafe."""
    config = config or Config()
    config.check()
    INSTANCE.mkdir(exist_ok=True)
    app = Flask(__name__, template_folder="../templates", static_folder="../static",
                instance_path=str(INSTANCE))
    app.config.from_object(config)
    app.json.sort_keys = False

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    _enable_sqlite_foreign_keys(app)

    from app import models  # noqa: F401  (registers every table)
    from app import live
    from app.api import bp as api_bp
    from app.cli import register_cli
    from app.http_errors import register_error_handlers
    from app.web import register_web

    csrf.exempt(api_bp)  # bearer tokens only, never cookies: nothing to forge
    app.register_blueprint(api_bp)
    register_web(app)
    register_error_handlers(app)
    register_cli(app)
    live.init_app(app)
    _unit_of_work(app)
    return app


def _unit_of_work(app: Flask) -> None:
    """One commit per request: kept when the answer is a success, rolled back otherwise."""
    from app.errors import Conflict
    from app.http_errors import error_json, wants_json
    from app.jobs import dispatch_pending

    @app.after_request
    def commit(response):
        if response.status_code >= 400:
            db.session.rollback()
            g.pop("pending_jobs", None)
            return response
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            g.pop("pending_jobs", None)
            message = "Conflict with existing data"
            return error_json(409, message) if wants_json() else (message, 409)
        dispatch_pending()
        return response


def _enable_sqlite_foreign_keys(app: Flask) -> None:
    """SQLite ignores foreign keys (and so cascading deletes) unless asked per connection."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine = db.engine

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

