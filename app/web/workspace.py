"""Workspace pages: create one, and its settings (name, members and roles, invitations,
deletion). The workspace home lives in `workspace_home.py` on the same blueprint."""
from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField

from app.jobs import enqueue
from app.models.identity import PILOTAGE_ROLES, WORKSPACE_ROLES
from app.services import workspaces
from app.web.context import current_org, current_workspace
from app.web.helpers import FORM_ERRORS, attach_error, go, is_htmx, render

bp = Blueprint("workspace", __name__)
W = "/o/<org_slug>/w/<ws_slug>"


class WorkspaceForm(FlaskForm):
    name = StringField("Name")
    slug = StringField("Slug")


class InviteForm(FlaskForm):
    email = EmailField("E-mail")
    role = SelectField("Role", choices=WORKSPACE_ROLES, validate_choice=False)


class ConfirmForm(FlaskForm):
    confirm = StringField("Type the slug to confirm")


@bp.before_request
@login_required
def _signed_in():
    """Every workspace page needs a signed-in user."""


@bp.route("/o/<org_slug>/workspaces/new", methods=["GET", "POST"])
def new(org_slug):
    access = current_org()
    access.require_manager()
    form = WorkspaceForm()
    if form.validate_on_submit():
        try:
            workspace = workspaces.create_workspace(access, form.name.data, form.slug.data)
        except FORM_ERRORS as error:
            attach_error(form, error, default_field="slug")
        else:
            flash(f"Workspace “{workspace.name}” created.", "success")
            return redirect(url_for("workspace.home", org_slug=org_slug, ws_slug=workspace.slug))
    status = 400 if form.is_submitted() else 200
    return render("workspace/new.html", form=form, org=access.org), status


def _settings_page(access, general=None, invite=None, confirm=None, status=200, **extra):
    workspace = access.workspace
    return render(
        "workspace/settings.html", access=access, workspace=workspace, org=workspace.organization,
        general=general or WorkspaceForm(formdata=None, name=workspace.name, slug=workspace.slug),
        invite=invite or InviteForm(formdata=None, role="member"),
        confirm=confirm or ConfirmForm(formdata=None),
        members=workspaces.list_members(access),
        invitations=workspaces.pending_invitations(access),
        **_choices(), **extra,
    ), status


def _choices() -> dict:
    return {"roles": WORKSPACE_ROLES, "pilotage_roles": PILOTAGE_ROLES}


@bp.get(W + "/settings")
def settings(org_slug, ws_slug):
    access = current_workspace()
    access.require_admin()
    return _settings_page(access)


@bp.post(W + "/settings")
def update(org_slug, ws_slug):
    access = current_workspace()
    form = WorkspaceForm()
    if form.validate_on_submit():
        try:
            workspace = workspaces.update_workspace(access, form.name.data, form.slug.data)
        except FORM_ERRORS as error:
            attach_error(form, error, default_field="slug")
        else:
            flash("Workspace saved.", "success")
            return redirect(url_for("workspace.settings", org_slug=org_slug, ws_slug=workspace.slug))
    return _settings_page(access, general=form, status=400)


@bp.post(W + "/members/<user_id>")
def change_member(org_slug, ws_slug, user_id):
    """Role and pilotage role of one member; htmx posts the select that changed."""
    access = current_workspace()
    error = None
    try:
        member = workspaces.change_member(access, user_id, request.form.get("role"),
                                          request.form.get("pilotage_role"))
    except FORM_ERRORS as failure:
        if not is_htmx():
            raise
        error = failure
        member = next((m for m in workspaces.list_members(access) if m.user_id == user_id), None)
        if member is None:
            raise
    if not is_htmx():
        flash(f"{member.user.name}: role {member.role}, pilotage {member.pilotage_role}.", "success")
        return redirect(url_for("workspace.settings", org_slug=org_slug, ws_slug=ws_slug))
    return render("workspace/_member_row.html", "workspace/_member_row.html", access=access,
                  member=member, error=error, **_choices()), error.status if error else 200


@bp.post(W + "/members/<user_id>/remove")
def remove_member(org_slug, ws_slug, user_id):
    access = current_workspace()
    workspaces.remove_member(access, user_id)
    if user_id == current_user.id:
        flash(f"You left {access.workspace.name}.", "success")
        return go(url_for("auth.home"))
    if is_htmx():
        return ""
    flash("Member removed.", "success")
    return redirect(url_for("workspace.settings", org_slug=org_slug, ws_slug=ws_slug))


@bp.post(W + "/invitations")
def invite(org_slug, ws_slug):
    access = current_workspace()
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitation, token = workspaces.invite(access, form.email.data, form.role.data)
        except FORM_ERRORS as error:
            attach_error(form, error, default_field="email")
        else:
            accept_url = current_app.config["BASE_URL"] + url_for("invitations.show", token=token)
            email_sent = bool(current_app.config["SMTP_HOST"])
            if email_sent:
                enqueue("app.mail.send_invitation", invitation.id, accept_url)
            result = dict(invited=invitation, accept_url=accept_url, email_sent=email_sent)
            if is_htmx():
                return render("workspace/_invite.html", "workspace/_invite.html", access=access,
                              invite=InviteForm(formdata=None, role="member"),
                              invitations=workspaces.pending_invitations(access), **result,
                              **_choices()), 201
            return _settings_page(access, status=201, **result)
    if is_htmx():
        return render("workspace/_invite.html", "workspace/_invite.html", access=access,
                      invite=form, **_choices()), 400
    return _settings_page(access, invite=form, status=400)


@bp.post(W + "/invitations/<invitation_id>/revoke")
def revoke_invitation(org_slug, ws_slug, invitation_id):
    access = current_workspace()
    workspaces.revoke_invitation(access, invitation_id)
    if is_htmx():
        return ""
    flash("Invitation revoked.", "success")
    return redirect(url_for("workspace.settings", org_slug=org_slug, ws_slug=ws_slug))


@bp.post(W + "/delete")
def delete(org_slug, ws_slug):
    access = current_workspace()
    access.require_admin()
    form = ConfirmForm()
    if form.validate_on_submit() and form.confirm.data == access.workspace.slug:
        workspaces.delete_workspace(access)
        flash(f"Workspace “{access.workspace.name}” deleted.", "success")
        return redirect(url_for("auth.home"))
    form.confirm.errors = ["Type the workspace's slug exactly to confirm."]
    return _settings_page(access, confirm=form, status=400)


from app.web import workspace_home  # noqa: E402,F401  (the home page, on this blueprint)
