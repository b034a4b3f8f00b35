"""Outgoing e-mail over SMTP (configured by `SMTP_*`); jobs call these with ids."""
import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

from app.extensions import db
from app.models.identity import Invitation

log = logging.getLogger(__name__)


def send(to: str, subject: str, body: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = " ".join(subject.split())  # user-chosen names must not break the header
    message.set_content(body)
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=15) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config["SMTP_USER"]:
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        smtp.send_message(message)


def send_invitation(invitation_id: str, accept_url: str) -> None:
    """Mail the accept link to the invitee.

    A mail server that fails is logged, not raised: the invitation stays valid and its link
    is still in the inviter's hands (API answer, pending invitations list).
    """
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.accepted_at is not None:
        return
    inviter = invitation.invited_by.name if invitation.invited_by else "Someone"
    workspace = invitation.workspace
    try:
        send(
            invitation.email,
            f"{inviter} invited you to {workspace.name} on Stellary",
            f"{inviter} invited you to join the workspace \"{workspace.name}\" "
            f"({workspace.organization.name}) on Stellary as {invitation.role}.\n\n"
            f"Accept the invitation: {accept_url}\n\n"
            f"It expires on {invitation.expires_at:%Y-%m-%d %H:%M} UTC and works once, "
            f"for an account with this e-mail address.\n",
        )
    except OSError:  # smtplib's errors are OSErrors too
        log.warning("Could not send the invitation e-mail for invitation %s", invitation_id, exc_info=True)
