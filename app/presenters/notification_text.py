"""A notification as one sentence for the bell and the notifications page: what the actor did,
told to the person reading it ("assigned a card to you", "mentioned you in a comment: …"),
without the actor's name or the card, which the templates show around it. Names and column
names are those `meta` recorded at the time.
"""
from app.services.notifications import NotificationView

FIELD_WORDS = {"title": "title", "description": "description", "priority": "priority",
               "startDate": "start date", "dueDate": "due date", "checklist": "checklist",
               "labels": "labels", "customFields": "custom fields", "attachments": "attachments",
               "relations": "relations"}


def sentence(view: NotificationView, reader_id: str) -> str:
    activity = view.activity
    meta = activity.meta or {}
    kind = activity.type
    if kind == "card_created":
        return f"created a card in {meta['column']}" if meta.get("column") else "created a card"
    if kind == "card_updated":
        if meta.get("fields") == ["archived"]:
            return "restored a card from the archive"
        fields = [FIELD_WORDS[f] for f in meta.get("fields") or () if f in FIELD_WORDS]
        return f"changed the {', '.join(fields)} of a card" if fields else "changed a card"
    if kind == "card_moved":
        return f"moved a card from {meta.get('fromColumn')} to {meta.get('toColumn')}"
    if kind == "card_archived":
        return "archived a card"
    if kind == "card_deleted":
        return "deleted a card"
    if kind == "card_assigned":
        if meta.get("toAssigneeId") == reader_id:
            return "assigned a card to you"
        if meta.get("fromAssigneeId") == reader_id:
            return "took a card off you" if meta.get("toAssigneeId") else "unassigned you from a card"
        return "reassigned a card" if meta.get("toAssigneeId") else "unassigned a card"
    if kind == "comment_added":
        said = f": “{meta.get('excerpt', '')}”"
        return ("mentioned you in a comment" if view.notification.reason == "mention" else "commented") + said
    if kind in ("member_added", "member_removed"):
        who = "you" if meta.get("userId") == reader_id else meta.get("name") or "someone"
        return f"added {who} to the project" if kind == "member_added" else f"removed {who} from the project"
    return kind.replace("_", " ")
