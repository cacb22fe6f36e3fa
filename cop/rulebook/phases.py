"""When: the explicit table of the phases in which each action of the platform may happen."""
from flask_babel import lazy_gettext as _l

from cop.rulebook.answer import YES, Answer, no
from cop.rulebook.enums import MeetingKind, Phase
from cop.errors import WrongPhase

P = Phase
ANY = tuple(Phase)
OPEN = tuple(p for p in Phase if p is not P.CLOSED)
#: The phases in which each kind of meeting sits; a meeting's own actions follow its kind's row.
SITTING = {
    MeetingKind.PLENARY: (P.NEGOTIATION, P.ADOPTION),
    MeetingKind.CONTACT_GROUP: (P.NEGOTIATION, P.ADOPTION),
    MeetingKind.INFORMAL: (P.PREPARATION, P.CALL_FOR_COMMITMENTS, P.NEGOTIATION, P.ADOPTION),
    MeetingKind.REVIEW: (P.IMPLEMENTATION,),
}
#: Marks an action that may happen whenever its meeting sits (see SITTING).
WHEN_SITTING = "sitting"

ACTION_PHASES: dict[str, object] = {
    # The COP itself.
    "conference.edit": OPEN,
    "conference.move_phase": ANY,
    "rules.set": (P.PREPARATION, P.CALL_FOR_COMMITMENTS),
    "rules.propose": (P.NEGOTIATION, P.ADOPTION, P.IMPLEMENTATION),
    "targets.set": (P.PREPARATION, P.CALL_FOR_COMMITMENTS),
    "fair_share.set": (P.PREPARATION, P.CALL_FOR_COMMITMENTS, P.NEGOTIATION),
    "party.invite": (P.PREPARATION, P.CALL_FOR_COMMITMENTS, P.NEGOTIATION),
    "party.accredit": OPEN,
    "member.invite": OPEN,
    "member.accredit": OPEN,
    "member.allow_vote": OPEN,
    # Commitments.
    "priorities.declare": (P.CALL_FOR_COMMITMENTS,),
    "commitment.file": (P.CALL_FOR_COMMITMENTS,),
    "commitment.revise": (P.CALL_FOR_COMMITMENTS, P.NEGOTIATION, P.ADOPTION, P.IMPLEMENTATION),
    "commitment.withdraw": (P.CALL_FOR_COMMITMENTS,),
    "commitment.review": (P.CALL_FOR_COMMITMENTS, P.NEGOTIATION, P.ADOPTION, P.IMPLEMENTATION),
    "commitment.comment": (P.CALL_FOR_COMMITMENTS, P.NEGOTIATION, P.ADOPTION, P.IMPLEMENTATION),
    # Meetings: scheduling, then everything said and decided in the room.
    "meeting.schedule": OPEN,
    "agenda.edit": OPEN,
    **{name: WHEN_SITTING for name in (
        "meeting.open", "meeting.suspend", "meeting.resume", "meeting.close", "item.open", "item.next",
        "rollcall.record", "floor.request", "floor.withdraw", "floor.give", "floor.next", "floor.remove",
        "floor.invite_observer", "timer.start", "timer.stop",
        "text.create", "text.edit", "text.resolve", "text.status",
        "amendment.table", "amendment.cosponsor", "amendment.revise", "amendment.withdraw", "amendment.take_up",
        "amendment.integrate", "amendment.bracket", "amendment.set_aside",
        "decision.propose", "decision.gavel", "decision.cancel", "decision.take_note",
        "objection.raise", "objection.withdraw", "objection.overrule",
        "vote.open", "vote.cast", "vote.change", "vote.close")},
    # The roadmap and its implementation.
    "roadmap.generate": (P.NEGOTIATION, P.ADOPTION),
    "roadmap.frame": (P.NEGOTIATION, P.ADOPTION),
    "roadmap.submit": (P.ADOPTION,),
    "roadmap.sign": (P.ADOPTION, P.IMPLEMENTATION),
    # Asking to lower a signed pledge; the plenary (adoption) or the review session (implementation) decides.
    "roadmap.amend": (P.ADOPTION, P.IMPLEMENTATION),
    "progress.report": (P.IMPLEMENTATION,),
    "progress.review": (P.IMPLEMENTATION,),
    "edition.next": (P.IMPLEMENTATION, P.CLOSED),
}


def allowed_phases(action: str, kind=None) -> tuple[Phase, ...]:
    """The phases in which the action may happen (for a meeting's action, those of the meeting's kind)."""
    phases = ACTION_PHASES[action]
    if phases == WHEN_SITTING:
        return SITTING[MeetingKind(kind)] if kind is not None else ()
    return phases


def phase_label(phase: str) -> str:
    """The French (or English) name of a phase."""
    from cop.labels import phase as label

    return label(phase)


def phase_allows(action: str, phase: str, kind=None) -> Answer:
    """Yes when `phase` allows the action (done in a meeting of this `kind`); else the reason, naming the phases."""
    phases = allowed_phases(action, kind)
    if phase in phases:
        return YES
    current = phase_label(phase)
    allowed = ", ".join(f"« {phase_label(p)} »" for p in phases)
    if ACTION_PHASES[action] == WHEN_SITTING:
        return no(_l("Cette séance ne peut pas siéger pendant la phase « %(phase)s » ; elle siège en phase "
                     "%(allowed)s.", phase=current, allowed=allowed), WrongPhase)
    return no(_l("Impossible en phase « %(phase)s » : seulement en phase %(allowed)s.", phase=current, allowed=allowed),
              WrongPhase)


def in_phase(action: str, conference, meeting=None) -> Answer:
    """`phase_allows` for a conference (and the meeting the action is done in)."""
    return phase_allows(action, conference.phase, meeting.kind if meeting is not None else None)
