"""The cockpit page of a workspace, `/o/<org>/w/<ws>/cockpit`.

Two parts, each an HTMX fragment of its own:
- `#cockpit-state`: the cycle, then the pilotage state as `pilotage.build_state` shapes it for
  the profile, intent and detail level picked in the switchers (missions as a board by
  status, ranked priorities, todos by mission, decisions, active docs);
- `#cockpit-review`: the actions waiting for review or apply, each with its explanation and
  a preview of what applying it changes (`pilotage_preview`), then the recent outcomes.

Every change posts below the page and goes through the pilotage services, which check the
pilotage role; the page only hides what the caller's role cannot use. A change answers the
part it affects, re-rendered for the view in use (every form carries the switchers' values);
a refused change answers the same part with the reason next to its form, or on top for a
drag, so the page snaps back. Without JavaScript the forms post and come back to the page.
"""
from types import SimpleNamespace

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import login_required

from app.errors import DomainError, Invalid
from app.extensions import db
from app.models.pilotage import DOC_SOURCE_TYPES, MISSION_STATUSES
from app.services import pilotage, pilotage_actions, pilotage_items, pilotage_preview, workspaces
from app.services.access import PILOTAGE_RANK, WorkspaceAccess
from app.web.context import current_workspace
from app.web.helpers import FORM_ERRORS, is_htmx, render

bp = Blueprint("cockpit", __name__)
C = "/o/<org_slug>/w/<ws_slug>/cockpit"
VIEW_ARGS = ("profile", "intent", "detailLevel")
# Errors an action's review or apply shows next to the action.
REVIEW_ERRORS = (*FORM_ERRORS, pilotage_actions.ApplyFailed)


@bp.before_request
@login_required
def _signed_in():
    """Every cockpit page needs a signed-in user."""


# The page and the view switchers -------------------------------------------------------------

@bp.get(C)
def index(org_slug, ws_slug):
    """The page; for htmx (the switchers) the state and the review panel, and the address
    bar shows the view. An unknown view value shows the default view and the reason."""
    access = current_workspace()
    context = _context(access, _view(request.args), review=True)
    response = render("cockpit/index.html", "cockpit/_switch.html", **context)
    if is_htmx():
        response.headers["HX-Push-Url"] = _page_url(access, context["view"])
    return response, 400 if context["view_error"] else 200


# Missions -----------------------------------------------------------------------------------

@bp.post(C + "/missions")
def create_mission(org_slug, ws_slug):
    access = current_workspace()
    fields = {"objective": request.form.get("objective", ""), "module": request.form.get("module") or None}
    try:
        pilotage_items.create_mission(access, fields)
    except FORM_ERRORS as error:
        return _state_answer(access, error=error, form="mission-new", values=fields)
    return _state_answer(access, status=201)


@bp.post(C + "/missions/<mission_id>")
def update_mission(org_slug, ws_slug, mission_id):
    """A new status (from the tile's form or a drag to another status column), with the
    blocked reason when the new status is `blocked`."""
    access = current_workspace()
    status = request.form.get("status")
    fields = {"status": status}
    if status == "blocked":
        fields["blockedReason"] = request.form.get("blocked_reason") or None
    try:
        pilotage_items.update_mission(access, mission_id, fields)
    except FORM_ERRORS as error:
        return _state_answer(access, error=error, form=f"mission-{mission_id}", values=fields,
                             dragged=request.form.get("dragged") == "1")
    return _state_answer(access)


# Priorities ---------------------------------------------------------------------------------

@bp.post(C + "/priorities")
def create_priority(org_slug, ws_slug):
    access = current_workspace()
    fields = {"label": request.form.get("label", ""), "module": request.form.get("module") or None}
    try:
        pilotage_items.create_priority(access, fields)
    except FORM_ERRORS as error:
        return _state_answer(access, error=error, form="priority-new", values=fields)
    return _state_answer(access, status=201)


@bp.post(C + "/priorities/<priority_id>/rank")
def rank_priority(org_slug, ws_slug, priority_id):
    """Put an active priority at `rank` (1 = first, a drag in the ranked list)."""
    access = current_workspace()
    try:
        pilotage_items.update_priority(access, priority_id, {"rank": _whole(request.form.get("rank"), "rank")})
    except FORM_ERRORS as error:
        return _state_answer(access, error=error, dragged=True)
    return _state_answer(access)


@bp.post(C + "/priorities/<priority_id>/active")
def activate_priority(org_slug, ws_slug, priority_id):
    """Activate (`active=1`, ranked last) or deactivate a priority."""
    access = current_workspace()
    try:
        pilotage_items.update_priority(access, priority_id, {"active": request.form.get("active") == "1"})
    except FORM_ERRORS as error:
        return _state_answer(access, error=error, form=f"priority-{priority_id}")
    return _state_answer(access)


# Todos --------------------------------------------------------------------------------------

@bp.post(C + "/todos")
def create_todo(org_slug, ws_slug):
    """Quick add, in the group of the mission `mission_id` (none: without mission)."""
    access = current_workspace()
    mission_id = request.form.get("mission_id") or None
    fields = {"label": request.form.get("label", ""), "missionId": mission_id}
    try:
        pilotage_items.create_todo(access, fields)
    except FORM_ERRORS as error:
        return _state_answer(access, error=error, form=f"todo-new-{mission_id or 'none'}", values=fields)
    return _state_answer(access, status=201)


@bp.post(C + "/todos/<todo_id>/status")
def tick_todo(org_slug, ws_slug, todo_id):
    """The tick box: checked (`done` sent) makes the todo `done`, unchecked `todo`."""
    access = current_workspace()
    try:
        pilotage_items.update_todo(access, todo_id, {"status": "done" if request.form.get("done") else "todo"})
    except FORM_ERRORS as error:
        return _state_answer(access, error=error, form=f"todo-{todo_id}")
    return _state_answer(access)


# Decisions and active docs ------------------------------------------------------------------

@bp.post(C + "/decisions")
def create_decision(org_slug, ws_slug):
    access = current_workspace()
    fields = {"title": request.form.get("title", ""), "impact": request.form.get("impact") or None}
    try:
        pilotage_items.create_decision(access, fields)
    except FORM_ERRORS as error:
        return _state_answer(access, error=error, form="decision-new", values=fields)
    return _state_answer(access, status=201)


@bp.post(C + "/docs")
def create_doc(org_slug, ws_slug):
    access = current_workspace()
    fields = {"title": request.form.get("title", ""), "owner": request.form.get("owner") or None,
              "sourceType": request.form.get("source_type") or None}
    try:
        pilotage_items.create_doc(access, fields)
    except FORM_ERRORS as error:
        return _state_answer(access, error=error, form="doc-new", values=fields)
    return _state_answer(access, status=201)


# Cycle --------------------------------------------------------------------------------------

@bp.post(C + "/cycle/advance")
def advance_cycle(org_slug, ws_slug):
    """Start the next cycle now, named `label` or by the service's default."""
    access = current_workspace()
    label = request.form.get("label", "").strip() or None
    try:
        pilotage.advance_cycle(access, label)
    except FORM_ERRORS as error:
        return _state_answer(access, error=error, form="cycle", values={"label": label})
    return _state_answer(access, status=201)


# Review queue -------------------------------------------------------------------------------

@bp.post(C + "/actions/<action_id>/review")
def review_action(org_slug, ws_slug, action_id):
    """Approve (`approved=true`) or reject, with an optional reason."""
    access = current_workspace()
    try:
        pilotage_actions.review_action(access, action_id, request.form.get("approved") == "true",
                                       request.form.get("reason") or None)
    except REVIEW_ERRORS as error:
        return _review_answer(access, error=error, action_id=action_id)
    return _review_answer(access, status=201)


@bp.post(C + "/actions/<action_id>/apply")
def apply_action(org_slug, ws_slug, action_id):
    """Apply an approved action. Whatever it changed may show anywhere in the state, so the
    answer carries the state too. A failed apply keeps its reason on the action."""
    access = current_workspace()
    try:
        pilotage_actions.apply_action(access, action_id)
    except REVIEW_ERRORS as error:
        if isinstance(error, pilotage_actions.ApplyFailed):
            db.session.commit()  # keep `lastError` on the action; the apply itself changed nothing
        return _review_answer(access, error=error, action_id=action_id)
    return _review_answer(access, status=201, with_state=True)


# Answers ------------------------------------------------------------------------------------

def _view(source) -> dict:
    """The switchers' values from a query string or a form (None when absent or blank)."""
    return {name: source.get(name) or None for name in VIEW_ARGS}


def _page_url(access: WorkspaceAccess, view: dict) -> str:
    workspace = access.workspace
    return url_for("cockpit.index", org_slug=workspace.organization.slug, ws_slug=workspace.slug,
                   **{k: v for k, v in view.items() if v})


def _context(access: WorkspaceAccess, view: dict, review: bool = False, **extra) -> dict:
    """What the templates need for the state (and the review panel when `review`).

    An invalid view falls back to the default one, with `view_error` saying why.
    """
    view_error = None
    try:
        state = pilotage.build_state(access, view["profile"], view["intent"], view["detailLevel"])
    except Invalid as error:
        view, view_error = dict.fromkeys(VIEW_ARGS), error.message
        state = pilotage.build_state(access)
    rank = PILOTAGE_RANK[access.pilotage_role]
    mission_names = {m.id: m.objective for m in pilotage_items.list_missions(access)}
    context = dict(
        access=access, workspace=access.workspace, state=state, view=view, view_error=view_error,
        can=SimpleNamespace(review=rank >= PILOTAGE_RANK["reviewer"], own=rank >= PILOTAGE_RANK["owner"]),
        cycle=pilotage.current_cycle(access), next_cycle=pilotage.next_label(state["cycle"]),
        ws_args=dict(org_slug=access.workspace.organization.slug, ws_slug=access.workspace.slug),
        missions_by_status=_missions_by_status(state["missions"]), mission_names=mission_names,
        todo_groups=_todo_groups(state, mission_names),
        people={m.user_id: m.user.name for m in workspaces.list_members(access)},
        options=SimpleNamespace(details=pilotage.DETAIL_LEVELS, statuses=MISSION_STATUSES,
                                source_types=DOC_SOURCE_TYPES),
    )
    context.update({"open_form": None, "form_error": None, "form_values": {}, "message": None,
                    "error_action": None, "action_error": None, "state_oob": False, **extra})
    if review:
        context.update(queue=pilotage_preview.review_queue(access),
                       outcomes=pilotage_preview.recent_outcomes(access))
    return context


def _missions_by_status(missions: list[dict]) -> list[tuple[str, list[dict]]]:
    return [(status, [m for m in missions if m["status"] == status]) for status in MISSION_STATUSES]


def _todo_groups(state: dict, mission_names: dict[str, str]) -> list[SimpleNamespace]:
    """Todos by mission: one group per mission of the state (in its order, empty ones
    included for the quick add), then missions the state left out that still have todos in
    it, then the todos without mission. At the minimal detail level todos do not say their
    mission: one group holds them all."""
    todos = state["todos"]
    if todos and "missionId" not in todos[0]:
        return [SimpleNamespace(mission_id=None, title="Todos", todos=todos)]
    ids = [m["id"] for m in state["missions"]]
    ids += [t["missionId"] for t in todos if t["missionId"] and t["missionId"] not in ids]
    groups = [SimpleNamespace(mission_id=i, title=mission_names.get(i, "Mission"),
                              todos=[t for t in todos if t["missionId"] == i]) for i in dict.fromkeys(ids)]
    groups.append(SimpleNamespace(mission_id=None, title="Without mission",
                                  todos=[t for t in todos if not t["missionId"]]))
    return groups


def _whole(value: str | None, field: str) -> int:
    """A whole number from a form field. Raises Invalid."""
    if value is None or not value.isdigit() or len(value) > 9:
        raise Invalid(field, f"{field} must be a whole number")
    return int(value)


def _back(access: WorkspaceAccess, error: DomainError | None):
    """Without JavaScript: back to the page in the view the form was posted from, with the
    reason of a refusal."""
    if error is not None:
        db.session.rollback()  # the redirect is a success to the commit hook: keep nothing half-done
        flash(error.message, "error")
    return redirect(_page_url(access, _view(request.form)))


def _fragment(template: str, status: int, **context):
    response = render(template, template, **context)
    response.status_code = status
    response.headers["X-Fragment"] = "1"  # static/js/app.js swaps it even with an error status
    return response


def _state_answer(access: WorkspaceAccess, error: DomainError | None = None, form: str | None = None,
                  values: dict | None = None, dragged: bool = False, status: int = 200):
    """The state re-rendered for the view the request came from; a refusal shows next to the
    form `form` (with the `values` typed), or on top when `dragged` or when no form is named."""
    if not is_htmx():
        return _back(access, error)
    if error is not None:
        db.session.rollback()  # show the state as saved, not a change the service refused halfway
    context = _context(access, _view(request.form))
    if error is not None:
        if dragged or form not in _form_keys(context):
            context["message"] = error.message
        else:
            context.update(open_form=form, form_error=error.message, form_values=values or {})
    return _fragment("cockpit/_state.html", error.status if error else status, **context)


def _form_keys(context: dict) -> set[str]:
    """The forms the state shows (`open_form` keys), so a refusal from a form that is not
    shown (a mission the view leaves out, say) goes on top instead."""
    state, can = context["state"], context["can"]
    keys = {f"todo-{t['id']}" for t in state["todos"]} if can.review else set()
    if can.own:
        keys |= {"cycle", "mission-new", "priority-new", "decision-new", "doc-new"}
        keys |= {f"mission-{m['id']}" for m in state["missions"]}
        keys |= {f"priority-{p['id']}" for p in (*state["activePriorities"], *state.get("inactivePriorities", ()))}
        if state["usageContext"]["intent"] != "context_only":
            keys |= {f"todo-new-{g.mission_id or 'none'}" for g in context["todo_groups"]}
    return keys


def _review_answer(access: WorkspaceAccess, error: DomainError | None = None, action_id: str | None = None,
                   with_state: bool = False, status: int = 200):
    """The review panel (and the state out of band after an apply), with a refusal shown
    on the action it concerns."""
    if not is_htmx():
        return _back(access, error)
    if error is not None:
        db.session.rollback()  # a failed apply committed its `lastError` already
    context = _context(access, _view(request.form), review=True, error_action=action_id,
                       action_error=error.message if error else None, state_oob=with_state)
    return _fragment("cockpit/_review_answer.html", error.status if error else status, **context)

