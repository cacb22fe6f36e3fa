"""From draft to adopted: the closing plenary's agenda item, the decision that freezes a version, the guard."""
from typing import Optional

from sqlalchemy import event, inspect

from cop.audit.services import record
from cop.auth.models import User
from cop.db import db, utcnow
from cop.errors import Conflict, Invalid, NotFound
from cop.meetings import services as meetings
from cop.meetings.models import AgendaItem, Meeting
from cop.notify import roadmap_mail
from cop.roadmap import freeze, printing
from cop.roadmap.decisions import adoption_of
from cop.roadmap.models import FROZEN_STATES, RoadmapVersion
from cop.roadmap.services import flush_or_conflict, latest
from cop.rulebook import allowed
from cop.signals import decision_adopted

#: Columns a frozen version may still change: only its move from adopted to superseded.
MUTABLE_WHEN_FROZEN = {"state", "superseded_dt", "lock_version"}


def submit(user: User, version: RoadmapVersion, meeting: Meeting) -> AgendaItem:
    """Put a draft on the agenda of a plenary of the COP, for adoption."""
    conference = version.roadmap.conference
    allowed("roadmap.submit", user, conference)
    if meeting.conference_id != conference.id:
        raise NotFound("Cette séance n’appartient pas à cette COP.")
    if meeting.kind != "plenary" or meeting.state == "closed":
        raise Invalid("La feuille de route s’adopte en séance plénière, avant la clôture de la séance.")
    if version.state != "draft" or version is not latest(version.roadmap):
        raise Conflict(
            "Seul le dernier projet peut être soumis ; la version %(number)s est « %(state)s ».",
            number=version.number, state=version.state)
    pending = latest(version.roadmap, "submitted")
    if pending is not None:
        item = db.session.get(AgendaItem, pending.agenda_item_id)
        if item is not None and item.state != "done":
            raise Conflict(
                "La version %(number)s est déjà à l’ordre du jour (« %(title)s ») : la plénière doit d’abord en "
                "décider.",
                number=pending.number, title=item.title)
        pending.state, pending.agenda_item_id, pending.submitted_dt = "draft", None, None
    item = meetings.add_item(user, meeting, meeting.version,
                             f"Adoption de la feuille de route régionale (version {version.number})",
                             f"Projet consolidé le {freeze.utc_text(version.generated_dt)} par le secrétariat.")
    version.state, version.agenda_item_id, version.submitted_dt = "submitted", item.id, utcnow()
    flush_or_conflict()
    record("roadmap.submitted", "roadmap_version", version.id, actor=user, conference_id=conference.id,
                 data={"number": version.number, "agenda_item": item.id, "meeting": meeting.id})
    roadmap_mail.submitted(version, meeting)
    return item


def adopt_version(version: RoadmapVersion, decision_id: Optional[int], reference: str,
                  adopted_dt=None, actor=None) -> RoadmapVersion:
    """Freeze a submitted version: canonical JSON and SHA-256 stored, the previous adopted one superseded."""
    if version.state != "submitted":
        raise Conflict(
            "La version %(number)s n’est pas soumise à l’adoption (« %(state)s »).",
            number=version.number, state=version.state)
    now = adopted_dt or utcnow()
    for other in version.roadmap.versions:
        if other.state == "adopted":
            other.state, other.superseded_dt = "superseded", now
    version.state, version.decision_id, version.adopted_dt = "adopted", decision_id, now
    version.decision_reference = (reference or "")[:120]
    freeze.freeze(version)
    flush_or_conflict()
    printing.schedule(version)
    record("roadmap.adopted", "roadmap_version", version.id, actor=actor,
                 conference_id=version.roadmap.conference_id,
                 data={"number": version.number, "sha256": version.sha256, "decision": version.decision_reference})
    roadmap_mail.adopted(version)
    return version


def version_for_item(agenda_item_id: Optional[int]) -> Optional[RoadmapVersion]:
    """The submitted version waiting on this agenda item, if any."""
    if agenda_item_id is None:
        return None
    return db.session.scalar(db.select(RoadmapVersion).filter_by(agenda_item_id=agenda_item_id, state="submitted"))


@decision_adopted.connect
def _on_decision_adopted(decision, **_) -> None:
    """A decision adopting the roadmap's agenda item freezes the version submitted there."""
    found = adoption_of(decision)
    if found is None:
        return
    version = version_for_item(found.agenda_item_id)
    if version is not None:
        adopt_version(version, found.decision_id, found.reference, found.adopted_dt, found.actor)


@event.listens_for(RoadmapVersion, "before_update")
def _refuse_frozen_edit(mapper, connection, target: RoadmapVersion) -> None:
    """An adopted version is never edited: any write other than its supersession is refused."""
    state = inspect(target)
    was = state.attrs.state.history.deleted
    before = was[0] if was else target.state
    if before not in FROZEN_STATES:
        return
    columns = {column.key for column in mapper.column_attrs}
    changed = {key for key in columns if state.attrs[key].history.has_changes()} - MUTABLE_WHEN_FROZEN
    if changed or (target.state not in FROZEN_STATES):
        raise Conflict(
            "La version %(number)s de la feuille de route est adoptée : elle ne se modifie jamais. Une révision "
            "est une nouvelle version, adoptée à son tour.",
            number=target.number)
