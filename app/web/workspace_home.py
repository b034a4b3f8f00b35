"""The workspace home, `/o/<org>/w/<ws>/`: the projects page. The projects the caller can
reach with their portfolio figures, and a form creating a project, optionally from a
template. Creating one opens its board."""
from flask import flash, redirect, url_for
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from app.services import portfolio, project_templates, projects, workspaces
from app.web.context import current_workspace
from app.web.helpers import FORM_ERRORS, attach_error, render
from app.web.workspace import W, bp


class ProjectForm(FlaskForm):
    name = StringField("Name")
    key = StringField("Card key")
    description = TextAreaField("Description")
    template = StringField("Columns")


def _home(access, form: ProjectForm | None = None, status: int = 200):
    return render(
        "workspace/home.html", access=access, workspace=access.workspace,
        org=access.workspace.organization, members=workspaces.list_members(access),
        summaries=portfolio.portfolio(access), templates=project_templates.list_templates(),
        default_columns=[name for name, _ in projects.DEFAULT_COLUMNS],
        form=form or ProjectForm(formdata=None, template=""),
    ), status


@bp.get(W + "/")
def home(org_slug, ws_slug):
    return _home(current_workspace())


@bp.post(W + "/projects")
def create_project(org_slug, ws_slug):
    """Create a project (any workspace member may) and open its board."""
    access = current_workspace()
    form = ProjectForm()
    if form.validate_on_submit():
        try:
            project = projects.create_project(access, form.name.data, form.description.data,
                                              (form.key.data or "").strip() or None,
                                              form.template.data or None)
        except FORM_ERRORS as error:
            attach_error(form, error, field_names={"templateId": "template"}, default_field="name")
        else:
            flash(f"Project “{project.name}” created.", "success")
            return redirect(url_for("board.show", org_slug=org_slug, ws_slug=ws_slug,
                                    project_id=project.id))
    return _home(access, form, status=400)
