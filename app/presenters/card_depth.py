"""JSON shapes of what cards hold beyond their fields, of activities and notifications."""
from app.models.card_depth import Activity, Attachment, Comment, CustomField, Label
from app.services.attachments import has_preview
from app.services.notifications import NotificationView
from app.services.relations import RelationView
from app.timeutil import iso


def comment_json(comment: Comment) -> dict:
    return {
        "id": comment.id, "cardId": comment.card_id, "authorId": comment.author_id,
        "authorName": comment.author.name if comment.author is not None else None,
        "content": comment.content, "createdAt": iso(comment.created_at), "updatedAt": iso(comment.updated_at),
    }


def attachment_json(attachment: Attachment) -> dict:
    return {
        "id": attachment.id, "cardId": attachment.card_id, "uploadedBy": attachment.uploaded_by_id,
        "originalName": attachment.original_name, "mimeType": attachment.mime_type, "size": attachment.size,
        "hasPreview": has_preview(attachment), "createdAt": iso(attachment.created_at),
    }


def label_json(label: Label) -> dict:
    return {"id": label.id, "projectId": label.project_id, "name": label.name, "color": label.color,
            "createdAt": iso(label.created_at)}


def custom_field_json(field: CustomField) -> dict:
    return {"id": field.id, "projectId": field.project_id, "name": field.name, "type": field.type,
            "options": list(field.options or []), "createdAt": iso(field.created_at)}


def relation_json(view: RelationView) -> dict:
    other = view.other
    return {
        "id": view.relation.id, "cardId": view.card_id, "targetCardId": view.other_card_id, "type": view.type,
        "targetCard": None if other is None else {
            "id": other.id, "key": other.key, "title": other.title, "projectId": other.project_id,
            "status": other.status},
        "createdBy": view.relation.created_by_id, "createdAt": iso(view.relation.created_at),
    }


def activity_json(activity: Activity, actor_name: str | None = None) -> dict:
    return {"id": activity.id, "type": activity.type, "actorId": activity.actor_id, "actorName": actor_name,
            "projectId": activity.project_id, "cardId": activity.card_id, "meta": activity.meta,
            "createdAt": iso(activity.created_at)}


def notification_json(view: NotificationView) -> dict:
    notification = view.notification
    return {"id": notification.id, "userId": notification.user_id, "readAt": iso(notification.read_at),
            "reason": notification.reason, "activity": activity_json(view.activity, view.actor_name)}
