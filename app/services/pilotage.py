"""The cockpit's state (what `GET W/pilotage/state` and the MCP tool `get_pilotage_state`
return) and the workspace's current cycle."""
import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from app.extensions import db
from app.models.pilotage import (
    MISSION_STATUSES,
    TODO_STATUSES,
    ActiveDoc,
    Decision,
    Mission,
    PilotageCycle,
    Priority,
    ProposedAction,
    Todo,
)
from app.presenters import pilotage as present
from app.services import rules
from app.services.access import WorkspaceAccess
from app.services.pilotage_items import decision_links
from app.timeutil import iso, utcnow

CONTRACT_VERSION = 7
PROFILES = ("pilotage", "execution", "revue")
INTENTS = ("weekly_review", "daily_execution", "sprint_planning", "context_only")
DETAIL_LEVELS = ("minimal", "standard", "detailed")
DEFAULT_CYCLE = "v1"


@dataclass(frozen=True)
class Cycle:
    label: str
    started_at: datetime


# Cycle --------------------------------------------------------------------------------------

def current_cycle(access: WorkspaceAccess) -> Cycle:
    """The workspace's current cycle; `v1`, started with the workspace, until an owner
    renames or advances it. Raises Forbidden (no pilotage role)."""
    access.require_pilotage("viewer")
    return _cycle(access)


def rename_cycle(access: WorkspaceAccess, label: object) -> Cycle:
    """Rename the current cycle (its start stays). Raises Forbidden (pilotage owner), Invalid."""
    access.require_pilotage("owner")
    label = rules.text("cycle", label, max_len=50)
    row = _cycle_row(access)
    if row is None:
        row = PilotageCycle(workspace_id=access.workspace.id, started_at=access.workspace.created_at)
        db.session.add(row)
    row.label = label
    db.session.flush()
    return Cycle(row.label, row.started_at)


def advance_cycle(access: WorkspaceAccess, label: object = None) -> Cycle:
    """Start the next cycle now. Without `label`, the last number of the current label goes
    up by one (`v8` → `v9`, `Sprint 12` → `Sprint 13`; `Alpha` → `Alpha 2`).

    Raises Forbidden (pilotage owner), Invalid.
    """
    access.require_pilotage("owner")
    current = _cycle(access)
    label = rules.text("cycle", next_label(current.label) if label is None else label, max_len=50)
    row = _cycle_row(access)
    if row is None:
        row = PilotageCycle(workspace_id=access.workspace.id)
        db.session.add(row)
    row.label, row.started_at = label, utcnow()
    db.session.flush()
    return Cycle(row.label, row.started_at)


def next_label(label: str) -> str:
    """`v8` → `v9`, `Sprint 12` → `Sprint 13`, `2026-Q1` → `2026-Q2`, `Alpha` → `Alpha 2`."""
    match = re.search(r"(\d+)(\D*)$", label)
    if match is None:
        return f"{label} 2"
    number = str(int(match.group(1)) + 1).zfill(len(match.group(1)))
    return label[:match.start(1)] + number + match.group(2)


def _cycle_row(access: WorkspaceAccess) -> PilotageCycle | None:
    return db.session.scalar(sa.select(PilotageCycle).where(PilotageCycle.workspace_id == access.workspace.id))


def _cycle(access: WorkspaceAccess) -> Cycle:
    row = _cycle_row(access)
    if row is None:
        return Cycle(DEFAULT_CYCLE, access.workspace.created_at)
    return Cycle(row.label, row.started_at)


# State --------------------------------------------------------------------------------------

def build_state(access: WorkspaceAccess, profile: object = None, intent: object = None,
                detail_level: object = None) -> dict:
    """The cockpit as one JSON-ready dict, shaped for who reads it and why.

    Always present: `cycle`, `contractVersion` (7), `missions`, `activePriorities` (active
    priorities by rank, at most four), `todos`, `decisions`, `activeDocs` and
    `usageContext {profile, role, intent}` (`role` is the caller's pilotage role).

    `profile` (default `pilotage`) says whose view it is:
      - `pilotage`: every mission, todo, decision and active doc.
      - `execution`: only open work: missions and todos that are not `done`; only the
        decisions dated in the current cycle.
      - `revue`: as `pilotage`, plus `pendingActions`: proposed actions waiting for a
        reviewer (`suggested`) or for their apply (`approved`), oldest first.

    `intent` (default none: missions and todos oldest first, decisions latest first) says
    what the reader is about to do:
      - `daily_execution`: todos assigned to the caller and open come first, then the
        other open todos, then done ones; missions `blocked` first, then `in_progress`,
        `to_launch`, `done`. Adds `focus {myOpenTodoIds, blockedMissionIds}`.
      - `weekly_review`: adds `cycleReview {cycle, since, changedMissionIds,
        changedTodoIds, decisionIds, done {missions, todos}, planned {missions, todos}}`:
        what changed since the cycle started, the decisions dated in it, and how much was
        done in the cycle out of what was planned (planned = still open + done in it).
      - `sprint_planning`: missions `to_launch` first, then `in_progress`, `blocked`,
        `done`. Adds `inactivePriorities` (the candidates for a free rank) and
        `unassignedTodoIds` (open todos nobody has taken).
      - `context_only`: the context without the work queue: `todos` is empty and there is
        no `pendingActions`.

    `detailLevel` (default `standard`) says how much of each item:
      - `minimal`: ids, titles and statuses only (mission `{id, objective, status}`,
        priority `{id, label, rank}`, todo `{id, label, status}`, decision `{id, title}`,
        doc `{id, title}`, action `{id, actionType, status}`).
      - `standard`: each item as its own endpoint returns it.
      - `detailed`: `standard`, plus `todoCounts {total, done}` on every mission and
        priority, and `counts {missions, todos}` (per status, over the whole workspace,
        whatever the profile filtered) with `pendingActions` (a number).

    Raises Invalid (400) for a value outside those lists, Forbidden (no pilotage role).
    """
    access.require_pilotage("viewer")
    profile = rules.choice("profile", profile if profile is not None else "pilotage", PROFILES)
    if intent is not None:
        intent = rules.choice("intent", intent, INTENTS)
    detail = rules.choice("detailLevel", detail_level if detail_level is not None else "standard",
                          DETAIL_LEVELS)
    workspace_id = access.workspace.id
    cycle = _cycle(access)

    missions = _rows(Mission, workspace_id, Mission.created_at, Mission.id)
    todos = _rows(Todo, workspace_id, Todo.created_at, Todo.id)
    priorities = _rows(Priority, workspace_id, Priority.rank, Priority.created_at, Priority.id)
    decisions = _rows(Decision, workspace_id, Decision.decided_at.desc(), Decision.id.desc())
    docs = _rows(ActiveDoc, workspace_id, ActiveDoc.created_at, ActiveDoc.id)
    active = [p for p in priorities if p.active]
    all_missions, all_todos = missions, todos

    if profile == "execution":
        missions = [m for m in missions if m.status != "done"]
        todos = [t for t in todos if t.status != "done"]
        decisions = [d for d in decisions if d.decided_at >= cycle.started_at]
    if intent == "context_only":
        todos = []
    if intent == "daily_execution":
        todos = _sorted(todos, lambda t: 0 if t.status != "done" and t.assignee_id == access.user.id
                        else 1 if t.status != "done" else 2)
        missions = _by_status(missions, ("blocked", "in_progress", "to_launch", "done"))
    if intent == "sprint_planning":
        missions = _by_status(missions, ("to_launch", "in_progress", "blocked", "done"))

    state: dict = {"cycle": cycle.label, "contractVersion": CONTRACT_VERSION}
    links = decision_links(d.id for d in decisions) if detail != "minimal" else {}
    todo_counts = _todo_counts(workspace_id) if detail == "detailed" else {}
    state["missions"] = [_item(present.mission_json, present.mission_brief, m, detail,
                               todo_counts.get(("mission", m.id))) for m in missions]
    state["activePriorities"] = [_item(present.priority_json, present.priority_brief, p, detail,
                                       todo_counts.get(("priority", p.id))) for p in active]
    state["todos"] = [present.todo_brief(t) if detail == "minimal" else present.todo_json(t) for t in todos]
    state["decisions"] = [present.decision_brief(d) if detail == "minimal"
                          else present.decision_json(d, *links[d.id]) for d in decisions]
    state["activeDocs"] = [present.doc_brief(d) if detail == "minimal" else present.doc_json(d) for d in docs]

    pending: list[ProposedAction] = []
    if profile == "revue" and intent != "context_only":
        pending = _pending_actions(workspace_id)
        state["pendingActions"] = [present.action_brief(a) if detail == "minimal" else present.action_json(a)
                                   for a in pending]
    if intent == "daily_execution":
        state["focus"] = {
            "myOpenTodoIds": [t.id for t in todos if t.status != "done" and t.assignee_id == access.user.id],
            "blockedMissionIds": [m.id for m in missions if m.status == "blocked"],
        }
    if intent == "weekly_review":
        state["cycleReview"] = _cycle_review(cycle, all_missions, all_todos, workspace_id)
    if intent == "sprint_planning":
        state["inactivePriorities"] = [present.priority_brief(p) if detail == "minimal" else present.priority_json(p)
                                       for p in priorities if not p.active]
        state["unassignedTodoIds"] = [t.id for t in todos if t.status != "done" and t.assignee_id is None]
    if detail == "detailed":
        state["counts"] = {
            "missions": {s: sum(m.status == s for m in all_missions) for s in MISSION_STATUSES},
            "todos": {s: sum(t.status == s for t in all_todos) for s in TODO_STATUSES},
            "pendingActions": len(pending) if profile == "revue" else _pending_count(workspace_id),
        }
    state["usageContext"] = {"profile": profile, "role": access.pilotage_role, "intent": intent}
    return state


def _rows(model, workspace_id: str, *order) -> list:
    return list(db.session.scalars(sa.select(model).where(model.workspace_id == workspace_id).order_by(*order)))


def _sorted(items: list, key) -> list:
    return sorted(items, key=key)  # sorted() is stable: ties keep their creation order


def _by_status(missions: list[Mission], order: tuple[str, ...]) -> list[Mission]:
    return _sorted(missions, lambda m: order.index(m.status))


def _item(full, brief, row, detail: str, counts: dict | None) -> dict:
    if detail == "minimal":
        return brief(row)
    data = full(row)
    if detail == "detailed":
        data["todoCounts"] = counts or {"total": 0, "done": 0}
    return data


def _todo_counts(workspace_id: str) -> dict[tuple[str, str], dict]:
    """`{("mission" | "priority", id): {total, done}}` in two grouped queries."""
    counts: dict[tuple[str, str], dict] = {}
    for kind, column in (("mission", Todo.mission_id), ("priority", Todo.priority_id)):
        rows = db.session.execute(
            sa.select(column, sa.func.count(), sa.func.sum(sa.case((Todo.status == "done", 1), else_=0)))
            .where(Todo.workspace_id == workspace_id, column.is_not(None)).group_by(column))
        for item_id, total, done in rows:
            counts[(kind, item_id)] = {"total": total, "done": int(done or 0)}
    return counts


def _pending_actions(workspace_id: str) -> list[ProposedAction]:
    return list(db.session.scalars(
        sa.select(ProposedAction)
        .where(ProposedAction.workspace_id == workspace_id,
               ProposedAction.status.in_(("suggested", "approved")))
        .order_by(ProposedAction.created_at, ProposedAction.id)))


def _pending_count(workspace_id: str) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(ProposedAction)
        .where(ProposedAction.workspace_id == workspace_id,
               ProposedAction.status.in_(("suggested", "approved")))) or 0


def _cycle_review(cycle: Cycle, missions: list[Mission], todos: list[Todo], workspace_id: str) -> dict:
    since = cycle.started_at

    def done_in_cycle(item) -> bool:
        return item.status == "done" and item.completed_at is not None and item.completed_at >= since

    decision_ids = list(db.session.scalars(
        sa.select(Decision.id).where(Decision.workspace_id == workspace_id, Decision.decided_at >= since)
        .order_by(Decision.decided_at.desc(), Decision.id.desc())))
    return {
        "cycle": cycle.label,
        "since": iso(since),
        "changedMissionIds": [m.id for m in missions if m.updated_at >= since],
        "changedTodoIds": [t.id for t in todos if t.updated_at >= since],
        "decisionIds": decision_ids,
        "done": {"missions": sum(map(done_in_cycle, missions)), "todos": sum(map(done_in_cycle, todos))},
        "planned": {
            "missions": sum(m.status != "done" or done_in_cycle(m) for m in missions),
            "todos": sum(t.status != "done" or done_in_cycle(t) for t in todos),
        },
    }
