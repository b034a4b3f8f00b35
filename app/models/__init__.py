"""Every model module is imported here so Alembic and the app see the whole schema."""
from app.models.identity import (  # noqa: F401
    ApiToken,
    Invitation,
    Organization,
    OrgMember,
    User,
    Workspace,
    WorkspaceMember,
)
from app.models.board import Card, ChecklistItem, Column, Project, ProjectMember, Scope  # noqa: F401
from app.models.knowledge import Document, DocumentReview, DocumentRevision  # noqa: F401
from app.models.pilotage import ActiveDoc, Decision, DecisionDocument, DecisionMission, Mission, PilotageCycle, Priority, ProposedAction, Todo  # noqa: F401,E501
from app.models.card_depth import Activity, Attachment, CardLabel, CardRelation, Comment, CustomField, CustomFieldValue, Label, Notification  # noqa: F401,E501
