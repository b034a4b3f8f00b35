"""JSON shapes of identity resources, as the reference shows them."""
from app.models.identity import ApiToken, Invitation, Organization, OrgMember, User, Workspace, WorkspaceMember
from app.timeutil import iso


def user_json(user: User, pilotage_role: str | None = None) -> dict:
    data = {"id": user.id, "email": user.email, "name": user.name}
    if pilotage_role is not None:
        data["pilotageRole"] = pilotage_role
    return data


def org_json(org: Organization, my_role: str | None = None) -> dict:
    data = {
        "id": org.id, "name": org.name, "slug": org.slug, "ownerId": org.owner_id,
        "isPersonal": org.is_personal, "createdAt": iso(org.created_at), "updatedAt": iso(org.updated_at),
    }
    if my_role is not None:
        data["myRole"] = my_role
    return data


def org_member_json(member: OrgMember) -> dict:
    return {"userId": member.user_id, "role": member.role, "email": member.user.email,
            "name": member.user.name, "joinedAt": iso(member.created_at)}


def workspace_json(ws: Workspace, my_role: str | None = None, my_pilotage_role: str | None = None) -> dict:
    data = {
        "id": ws.id, "name": ws.name, "slug": ws.slug, "organizationId": ws.organization_id,
        "ownerId": ws.owner_id, "isPersonal": ws.is_personal,
        "requireIndependentReview": ws.require_independent_review,
    }
    if my_role is not None:
        data["myRole"] = my_role
    if my_pilotage_role is not None:
        data["myPilotageRole"] = my_pilotage_role
    data["createdAt"] = iso(ws.created_at)
    data["updatedAt"] = iso(ws.updated_at)
    return data


def workspace_member_json(member: WorkspaceMember) -> dict:
    return {"userId": member.user_id, "email": member.user.email, "name": member.user.name,
            "role": member.role, "pilotageRole": member.pilotage_role, "joinedAt": iso(member.created_at)}


def invitation_json(invitation: Invitation) -> dict:
    return {
        "id": invitation.id, "workspaceId": invitation.workspace_id, "email": invitation.email,
        "role": invitation.role, "expiresAt": iso(invitation.expires_at),
        "acceptedAt": iso(invitation.accepted_at), "createdAt": iso(invitation.created_at),
    }


def token_json(token: ApiToken) -> dict:
    return {
        "id": token.id, "name": token.name, "prefix": token.prefix, "scopes": list(token.scopes),
        "expiresAt": iso(token.expires_at), "lastUsedAt": iso(token.last_used_at),
        "createdAt": iso(token.created_at),
    }
