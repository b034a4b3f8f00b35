"""The page an invitation link opens: who invites you where, and the button to accept."""
from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.errors import DomainError
from app.services import workspaces
from app.web.helpers import render

bp = Blueprint("invitations", __name__)


class AcceptForm(FlaskForm):
    pass


def _page(token, invitation, error=None, status=200):
    return render("invitations/accept.html", token=token, invitation=invitation,
                  workspace=invitation.workspace, org=invitation.workspace.organization,
                  expired=workspaces.invitation_expired(invitation), form=AcceptForm(formdata=None),
                  error=error), status


@bp.get("/invite/<token>")
def show(token):
    return _page(token, workspaces.invitation_by_token(token))


@bp.post("/invite/<token>")
@login_required
def accept(token):
    invitation = workspaces.invitation_by_token(token)
    if AcceptForm().validate_on_submit():
        try:
            workspace = workspaces.accept_invitation(current_user, token)
        except DomainError as error:
            return _page(token, invitation, error=error.message, status=error.status)
        flash(f"Welcome to {workspace.name}!", "success")
        return redirect(url_for("workspace.home", org_slug=workspace.organization.slug,
                                ws_slug=workspace.slug))
    return _page(token, invitation, status=400)
