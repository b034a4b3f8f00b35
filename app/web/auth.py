"""Register, log in, log out."""
from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField

from app.errors import DomainError
from app.extensions import db
from app.services import accounts
from app.web.helpers import attach_error, render

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    email = EmailField("E-mail")
    password = PasswordField("Password")


class RegisterForm(FlaskForm):
    name = StringField("Name")
    email = EmailField("E-mail")
    password = PasswordField("Password")


def _next_url() -> str:
    target = request.args.get("next", "")
    # Only local paths: an open redirect would send people to look-alike sites.
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("auth.home")


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    from app.services.workspaces import reachable_workspaces
    return render("home.html", workspaces=reachable_workspaces(current_user))


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            login_user(user)
            return redirect(_next_url())
    status = 400 if form.is_submitted() else 200
    return render("auth/login.html", form=form), status


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register(form.email.data, form.password.data, form.name.data or None)
            db.session.flush()
        except DomainError as error:
            attach_error(form, error)
        else:
            login_user(user)
            flash("Welcome to Stellary! Your personal workspace is ready.", "success")
            return redirect(_next_url())
    status = 400 if form.is_submitted() else 200
    return render("auth/register.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("auth.login"))
