"""HTML pages: server-rendered Jinja with HTMX partial updates."""
from datetime import datetime
from urllib.parse import urlsplit

from flask import Flask, flash, g, make_response, redirect, request, url_for

from app.extensions import db, login_manager
from app.models.identity import User


def register_web(app: Flask) -> None:
    from app.web import account, auth, board, card_panel, cockpit, invitations, knowledge, live, orgs, views, workspace
    from app.services.workspaces import invitation_expired
    from app.web.context import nav_workspace, switcher_entries
    from app.web.card_classification import bp as card_classification_bp
    from app.web.scope_calendar import bp as scope_calendar_bp
    from app.web.scope_list import bp as scope_list_bp
    from app.web.scope_roadmap import bp as scope_roadmap_bp
    from app.web.scope_stats import bp as scope_stats_bp
    from app.web.notifications import bp as notifications_bp
    from app.web.card_conversation import bp as card_conversation_bp

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        user_id, _, epoch = session_id.partition(".")
        user = db.session.get(User, user_id)
        # A changed password (new epoch) ends every other session.
        if user is None or str(user.auth_epoch) != epoch:
            return None
        return user

    @app.before_request
    def _fresh_request_state():
        """Requests served inside an outer app context (CLI, tests) share its `g`: the user
        and the page's organization and workspace must come from this request alone."""
        for name in ("_login_user", "ws_access", "org_access"):
            g.pop(name, None)

    @login_manager.unauthorized_handler
    def unauthorized():
        """To the login page, coming back after to the page the user was on (a form posted
        from an expired session returns to that form's page, never to a POST-only URL);
        htmx gets a full-page redirect."""
        if request.headers.get("HX-Request") == "true":
            back = _local_path(request.headers.get("HX-Current-URL", ""))
        elif request.method == "GET":
            back = request.full_path.rstrip("?")
        else:
            back = _local_path(request.referrer or "")
        back = back or url_for("auth.home")
        if request.headers.get("HX-Request") == "true":
            response = make_response("", 401)
            response.headers["HX-Redirect"] = url_for("auth.login", next=back)
            return response
        flash("Please log in to continue.", "info")
        return redirect(url_for("auth.login", next=back))

    @app.context_processor
    def layout_helpers():
        return {"nav_workspace": nav_workspace, "switcher_entries": switcher_entries,
                "invitation_expired": invitation_expired}

    @app.template_filter("when")
    def when(value: datetime | None, empty: str = "—") -> str:
        """A UTC timestamp as `2026-01-15 10:30 UTC`."""
        return value.strftime("%Y-%m-%d %H:%M UTC") if value else empty

    for module in (auth, account, orgs, workspace, invitations, board, views, card_panel, cockpit, live,
                   knowledge):
        app.register_blueprint(module.bp)
    app.register_blueprint(card_classification_bp)
    app.register_blueprint(scope_list_bp)
    app.register_blueprint(scope_calendar_bp)
    app.register_blueprint(scope_roadmap_bp)
    app.register_blueprint(scope_stats_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(card_conversation_bp)


def _local_path(url: str) -> str:
    """The path and query of `url` (the page htmx was on), never another origin."""
    parts = urlsplit(url)
    if not parts.path.startswith("/"):
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")
