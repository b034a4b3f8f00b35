"""The signed-in user's own pages: profile, password and personal access tokens."""
from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm
from wtforms import Field, PasswordField, StringField

from app.services import accounts, tokens, workspaces
from app.web.helpers import FORM_ERRORS, attach_error, is_htmx, render

bp = Blueprint("account", __name__)

DEFAULT_SCOPES = ("projects:read", "pilotage:read", "notifications:read", "account:read")


class ProfileForm(FlaskForm):
    name = StringField("Name")


class PasswordForm(FlaskForm):
    current_password = PasswordField("Current password")
    new_password = PasswordField("New password")


class TokenForm(FlaskForm):
    name = StringField("Name")
    expires = StringField("Expires on (optional)")
    scopes = Field("Scopes")  # rendered as checkboxes by the template; carries the errors


@bp.before_request
@login_required
def _signed_in():
    """Every page here belongs to the signed-in user."""


def _account_page(profile=None, password=None, status=200):
    profile = profile or ProfileForm(formdata=None, name=current_user.name)
    password = password or PasswordForm(formdata=None)
    return render("account/profile.html", profile=profile, password=password,
                  memberships=workspaces.memberships(current_user)), status


@bp.get("/account")
def profile():
    return _account_page()


@bp.post("/account")
def update_profile():
    form = ProfileForm()
    if form.validate_on_submit():
        try:
            accounts.update_profile(current_user, form.name.data)
        except FORM_ERRORS as error:
            attach_error(form, error)
        else:
            flash("Profile saved.", "success")
            return redirect(url_for("account.profile"))
    return _account_page(profile=form, status=400)


@bp.post("/account/password")
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current_password.data, form.new_password.data)
        except FORM_ERRORS as error:
            attach_error(form, error, {"currentPassword": "current_password",
                                       "newPassword": "new_password"})
        else:
            # The new auth epoch ends every session, this one included: sign it in again.
            login_user(current_user._get_current_object())
            flash("Password changed. Other sessions have been signed out.", "success")
            return redirect(url_for("account.profile"))
    return _account_page(password=form, status=400)


def _tokens_page(form, checked, status=200, created=None):
    return render("account/tokens.html", "account/_token_panel.html", form=form, checked=checked,
                  scopes=tokens.SCOPES, tokens=tokens.list_tokens(current_user),
                  created=created), status


@bp.get("/account/tokens")
def token_list():
    return _tokens_page(TokenForm(formdata=None), DEFAULT_SCOPES)


@bp.post("/account/tokens")
def create_token():
    form = TokenForm()
    checked = request.form.getlist("scopes")
    if form.validate_on_submit():
        try:
            token, secret = tokens.create_token(current_user, form.name.data, checked,
                                                form.expires.data or None)
        except FORM_ERRORS as error:
            attach_error(form, error, {"expiresAt": "expires"})
        else:
            return _tokens_page(TokenForm(formdata=None), DEFAULT_SCOPES, status=201,
                                created=(token, secret))
    return _tokens_page(form, checked, status=400)


@bp.post("/account/tokens/<token_id>/revoke")
def revoke_token(token_id):
    tokens.revoke_token(current_user, token_id)
    if is_htmx():
        return ""
    flash("Token revoked.", "success")
    return redirect(url_for("account.token_list"))
