"""The messages that tell people about an incident: an email (as a mailto: link or an .eml
file) and an SMS-length text to copy. Crisis Desk sends nothing itself."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import quote

from app.incidents.model import Incident, PersonToReach

SMS_LIMIT = 160


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    sms: str

    def mailto(self, to: str) -> str:
        return f"mailto:{quote(to)}?subject={quote(self.subject)}&body={quote(self.body)}"

    def eml(self, to: str, sender: str = "") -> bytes:
        message = EmailMessage()
        message["To"] = to
        if sender:
            message["From"] = sender
        message["Subject"] = self.subject
        message["X-Unsent"] = "1"  # mail programs open it as a draft to send
        message.set_content(self.body)
        return bytes(message)


def escalation_message(
    incident: Incident, person: PersonToReach, business: str, sender_name: str = ""
) -> Message:
    when = incident.declared_at.astimezone().strftime("%H:%M on %a %d %b")
    due = (
        incident.next_update_due_at.astimezone().strftime("%H:%M")
        if incident.next_update_due_at
        else "soon"
    )
    first = person.name.split()[0] if person.name else "there"
    subject = f"[{incident.level_label}] {business}: {incident.title}"
    body = (
        f"Hi {first},\n\n"
        f"We have declared an incident at {incident.level_label} since {when}:\n"
        f"{incident.title}.\n\n"
        f"Your part in our crisis plan: {person.role or 'please stand by'}.\n"
        f"Our next public update is due by {due}.\n\n"
        "Please call me back as soon as you read this, and do not comment in public "
        "until we have agreed what to say.\n\n"
        f"Thank you,\n{sender_name or business}"
    )
    sms = (
        f"{business}: incident {incident.level_label} — {incident.title}. "
        "Please call me back now. Don't comment publicly yet."
    )
    if len(sms) > SMS_LIMIT:
        room = SMS_LIMIT - len(sms) + len(incident.title) - 1
        sms = sms.replace(incident.title, incident.title[: max(room, 10)].rstrip() + "…")
    return Message(subject, body, sms[:SMS_LIMIT])
