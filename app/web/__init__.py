"""HTML pages: server-rendered Jinja with HTMX partial updates."""
from flask import Flask

from app.extensions import db, login_manager
from app.models.identity import User


def register_web(app: Flask) -> None:
    from app.web import auth

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        user_id, _, epoch = session_id.partition(".")
        user = db.session.get(User, user_id)
        # A changed password (new epoch) ends every other session.
        if user is None or str(user.auth_epoch) != epoch:
            return None
        return user

    app.register_blueprint(auth.bp)
