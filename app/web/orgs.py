"""Organization pages: create one, and its settings (name, members, deletion)."""
from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField

from app.services import orgs, workspaces
from app.services.orgs import MEMBER_ROLES
from app.web.context import current_org
from app.web.helpers import FORM_ERRORS, attach_error, go, is_htmx, render

bp = Blueprint("orgs", __name__)


class OrgForm(FlaskForm):
    name = StringField("Name")
    slug = StringField("Slug")


class AddMemberForm(FlaskForm):
    email = EmailField("E-mail of an existing account")
    role = SelectField("Role", choices=MEMBER_ROLES, validate_choice=False)


class ConfirmForm(FlaskForm):
    confirm = StringField("Type the slug to confirm")


@bp.before_request
@login_required
def _signed_in():
    """Every organization page needs a signed-in user."""


@bp.route("/orgs/new", methods=["GET", "POST"])
def new():
    form = OrgForm()
    if form.validate_on_submit():
        try:
            org = orgs.create_org(current_user, form.name.data, form.slug.data)
        except FORM_ERRORS as error:
            attach_error(form, error, default_field="slug")
        else:
            flash(f"Organization “{org.name}” created. Now create its first workspace.", "success")
            return redirect(url_for("workspace.new", org_slug=org.slug))
    status = 400 if form.is_submitted() else 200
    return render("orgs/new.html", form=form), status


def _settings_page(access, general=None, add=None, confirm=None, status=200):
    return render(
        "orgs/settings.html", access=access, org=access.org,
        general=general or OrgForm(formdata=None, name=access.org.name, slug=access.org.slug),
        add=add or AddMemberForm(formdata=None, role="member"),
        confirm=confirm or ConfirmForm(formdata=None),
        members=orgs.list_members(access), workspaces=workspaces.list_workspaces(access),
        roles=MEMBER_ROLES,
    ), status


@bp.get("/o/<org_slug>/settings")
def settings(org_slug):
    access = current_org()
    access.require_manager()
    return _settings_page(access)


@bp.post("/o/<org_slug>/settings")
def update(org_slug):
    access = current_org()
    form = OrgForm()
    if form.validate_on_submit():
        try:
            org = orgs.update_org(access, form.name.data, form.slug.data)
        except FORM_ERRORS as error:
            attach_error(form, error, default_field="slug")
        else:
            flash("Organization saved.", "success")
            return redirect(url_for("orgs.settings", org_slug=org.slug))
    return _settings_page(access, general=form, status=400)


@bp.post("/o/<org_slug>/members")
def add_member(org_slug):
    access = current_org()
    form = AddMemberForm()
    if form.validate_on_submit():
        try:
            member = orgs.add_member(access, form.email.data, form.role.data)
        except FORM_ERRORS as error:
            attach_error(form, error, default_field="email")
        else:
            if not is_htmx():
                flash(f"{member.user.name} added.", "success")
                return redirect(url_for("orgs.settings", org_slug=org_slug))
            return render("orgs/_add_member.html", "orgs/_add_member.html", org=access.org,
                          add=AddMemberForm(formdata=None, role="member"), added=member,
                          access=access, roles=MEMBER_ROLES), 201
    if not is_htmx():
        return _settings_page(access, add=form, status=400)
    return render("orgs/_add_member.html", "orgs/_add_member.html", org=access.org, add=form,
                  added=None, access=access, roles=MEMBER_ROLES), 400


@bp.post("/o/<org_slug>/members/<user_id>")
def change_member(org_slug, user_id):
    access = current_org()
    member = orgs.change_member_role(access, user_id, request.form.get("role"))
    if not is_htmx():
        flash(f"{member.user.name} is now {member.role}.", "success")
        return redirect(url_for("orgs.settings", org_slug=org_slug))
    return render("orgs/_member_row.html", "orgs/_member_row.html", org=access.org, member=member,
                  access=access, roles=MEMBER_ROLES)


@bp.post("/o/<org_slug>/members/<user_id>/remove")
def remove_member(org_slug, user_id):
    access = current_org()
    orgs.remove_member(access, user_id)
    if user_id == current_user.id:
        flash(f"You left {access.org.name}.", "success")
        return go(url_for("auth.home"))
    if is_htmx():
        return ""
    flash("Member removed.", "success")
    return redirect(url_for("orgs.settings", org_slug=org_slug))


@bp.post("/o/<org_slug>/delete")
def delete(org_slug):
    access = current_org()
    access.require_manager()
    form = ConfirmForm()
    if form.validate_on_submit() and form.confirm.data == access.org.slug:
        orgs.delete_org(access)
        flash(f"Organization “{access.org.name}” deleted.", "success")
        return redirect(url_for("auth.home"))
    form.confirm.errors = ["Type the organization's slug exactly to confirm."]
    return _settings_page(access, confirm=form, status=400)
