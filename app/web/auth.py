"""Register, log in, log out, and the landing page `/`."""
from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField

from app.errors import Unauthorized
from app.services import accounts
from app.web.context import landing_workspace
from app.web.helpers import FORM_ERRORS, attach_error, render

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    email = EmailField("E-mail")
    password = PasswordField("Password")


class RegisterForm(FlaskForm):
    name = StringField("Name")
    email = EmailField("E-mail")
    password = PasswordField("Password")


def safe_next(default: str) -> str:
    """The `next` argument when it is a local path; `default` otherwise."""
    target = request.args.get("next", "")
    # Only local paths: an open redirect would send people to look-alike sites.
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    landing = landing_workspace()
    if landing is None:
        return render("home.html")
    org, workspace = landing
    return redirect(url_for("workspace.home", org_slug=org.slug, ws_slug=workspace.slug))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(url_for("auth.home")))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data)
        except Unauthorized as error:
            attach_error(form, error)
        else:
            login_user(user)
            return redirect(safe_next(url_for("auth.home")))
    status = 400 if form.is_submitted() else 200
    return render("auth/login.html", form=form), status


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if request.method == "GET" and request.args.get("email"):
        form.email.data = request.args["email"]
    if form.validate_on_submit():
        try:
            user = accounts.register(form.email.data, form.password.data, form.name.data or None)
        except FORM_ERRORS as error:
            attach_error(form, error, default_field="email")
        else:
            login_user(user)
            flash("Welcome to Stellary! Your personal workspace is ready.", "success")
            return redirect(safe_next(url_for("auth.home")))
    status = 400 if form.is_submitted() else 200
    return render("auth/register.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("auth.login"))
