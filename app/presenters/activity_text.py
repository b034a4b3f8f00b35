"""A card's activity as readable sentences for its history in the card panel: what the
actor did ("moved the card from To Do to Done"), without the actor's name, which the
template shows before it. Names in `meta` are those recorded at the time (a column renamed
since keeps its old name here); people are named from `people` (user id → name).
"""
from app.models.card_depth import Activity

FIELD_WORDS = {"title": "the title", "description": "the description", "priority": "the priority",
               "startDate": "the start date", "dueDate": "the due date", "checklist": "the checklist",
               "labels": "the labels", "customFields": "custom fields", "attachments": "the attachments",
               "relations": "the relations"}
RELATION_WORDS = {"blocks": "blocks", "blocked_by": "is blocked by", "related_to": "relates to",
                  "duplicates": "duplicates", "parent_of": "is the parent of", "child_of": "is a child of"}


def people_ids(activity: Activity) -> set[str]:
    """The ids of the people a sentence about `activity` names (besides its actor)."""
    if activity.type != "card_assigned":
        return set()
    return {i for i in (activity.meta.get("fromAssigneeId"), activity.meta.get("toAssigneeId")) if i}


def sentence(activity: Activity, people: dict[str, str]) -> str:
    meta = activity.meta or {}
    kind = activity.type
    if kind == "card_created":
        return f"created the card in {meta['column']}" if meta.get("column") else "created the card"
    if kind == "card_moved":
        if meta.get("fromColumn"):
            return f"moved the card from {meta['fromColumn']} to {meta.get('toColumn')}"
        return f"moved the card to {meta.get('toColumn')}"
    if kind == "card_assigned":
        to = meta.get("toAssigneeId")
        if to is None:
            return "unassigned the card"
        return f"assigned the card to {people.get(to, 'someone no longer here')}"
    if kind == "card_archived":
        return "archived the card"
    if kind == "card_deleted":
        return "deleted the card"
    if kind == "comment_added":
        return f"commented: “{meta.get('excerpt', '')}”"
    if kind == "card_updated":
        return _updated(meta)
    return kind.replace("_", " ")


def _updated(meta: dict) -> str:
    fields = list(meta.get("fields") or [])
    added, removed = meta.get("added"), meta.get("removed")
    if fields == ["attachments"]:
        return f"attached “{added}”" if added else f"removed the attachment “{removed}”"
    if fields == ["labels"]:
        return f"added the label “{added}”" if added else f"removed the label “{removed}”"
    if fields == ["relations"]:
        if added:
            return f"added a relation: this card {RELATION_WORDS.get(added, added)} another"
        return "removed a relation"
    if fields == ["archived"]:
        return "restored the card from the archive"
    words = [FIELD_WORDS.get(f, f) for f in fields if f != "archived"]
    if not words:
        return "updated the card"
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return f"changed {listed}" + (" and restored it from the archive" if "archived" in fields else "")
