"""When: the explicit table of the phases in which each action of the platform may happen."""
from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l

from cop.errors import WrongPhase
from cop.rulebook.answer import YES, Answer, no
from cop.rulebook.enums import MeetingKind, Phase

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
    "site.register": OPEN,
    "funder.register": OPEN,
    "budget.set": OPEN,
    "support.answer": (P.CALL_FOR_COMMITMENTS, P.NEGOTIATION, P.ADOPTION, P.IMPLEMENTATION),
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
    "commitment.step_back": (P.CALL_FOR_COMMITMENTS,),
    "commitment.review": (P.CALL_FOR_COMMITMENTS, P.NEGOTIATION, P.ADOPTION, P.IMPLEMENTATION),
    "commitment.comment": (P.CALL_FOR_COMMITMENTS, P.NEGOTIATION, P.ADOPTION, P.IMPLEMENTATION),
    # The project registry: registered and sealed while pledges are filed, revealed whenever it is announced.
    "project.register": (P.CALL_FOR_COMMITMENTS, P.NEGOTIATION, P.ADOPTION, P.IMPLEMENTATION),
    # Sealed, then revealed: sealed while contents are filed, revealed and read whenever.
    "seal.seal": (P.CALL_FOR_COMMITMENTS, P.NEGOTIATION, P.ADOPTION, P.IMPLEMENTATION),
    "seal.reveal": ANY,
    "seal.reveal_due": ANY,
    "seal.read": ANY,
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
    # Contracts: generated from the adopted pledges and the support granted, signed, then followed.
    "contract.generate": (P.ADOPTION, P.IMPLEMENTATION),
    "contract.sign": (P.ADOPTION, P.IMPLEMENTATION),
    "contract.disburse": (P.IMPLEMENTATION,),
    "progress.report": (P.IMPLEMENTATION,),
    "progress.review": (P.IMPLEMENTATION,),
    "edition.next": (P.IMPLEMENTATION, P.CLOSED),
}


AFTER_CALL = (P.NEGOTIATION, P.ADOPTION, P.IMPLEMENTATION)
BEFORE_OR_AFTER = (P.PREPARATION, P.CLOSED)
#: An action's own sentence for a phase that refuses it, where the general one ("only in phase …") says too little.
PHASE_REASONS: dict[str, dict[Phase, object]] = {
    "commitment.file": dict.fromkeys(
        AFTER_CALL, _l("L’appel à engagements est clos : seuls les engagements déjà déposés peuvent être relevés.")),
    "commitment.step_back": dict.fromkeys(
        AFTER_CALL + BEFORE_OR_AFTER, _l("Après l’appel à engagements, une révision ne peut que relever les cibles.")),
    "commitment.withdraw": dict.fromkeys(
        AFTER_CALL + BEFORE_OR_AFTER, _l("Un engagement ne peut être retiré que pendant l’appel à engagements.")),
    "commitment.review": dict.fromkeys(
        BEFORE_OR_AFTER, _l("La COP n’examine pas d’engagement dans sa phase actuelle.")),
    "member.invite": {P.CLOSED: _l("Cette COP est clôturée : elle n'accueille plus de nouveaux membres.")},
    "rules.set": dict.fromkeys(
        AFTER_CALL + (P.CLOSED,), _l("Depuis la première plénière, le règlement intérieur ne change que par une "
                                     "décision de la plénière : proposez-en une révision sur la page « Règlement "
                                     "intérieur ».")),
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


def _label(phase: str) -> LazyString:
    """A phase's name in the language of whoever reads the reason (not of whoever asked)."""
    return LazyString(phase_label, phase)


def _quoted(phases) -> str:
    """« Négociation », « Adoption » (“Negotiation”, “Adoption” in English)."""
    return ", ".join(gettext("« %(phase)s »", phase=phase_label(p)) for p in phases)


def phase_allows(action: str, phase: str, kind=None) -> Answer:
    """Yes when `phase` allows the action (done in a meeting of this `kind`); else the reason, naming the phases."""
    phases = allowed_phases(action, kind)
    if phase in phases:
        return YES
    own = PHASE_REASONS.get(action, {}).get(phase)
    if own is not None:
        return no(own, WrongPhase)
    current, allowed = _label(phase), LazyString(_quoted, phases)
    if ACTION_PHASES[action] == WHEN_SITTING:
        return no(_l("Cette séance ne peut pas siéger pendant la phase « %(phase)s » ; elle siège en phase "
                     "%(allowed)s.", phase=current, allowed=allowed), WrongPhase)
    return no(_l("Impossible en phase « %(phase)s » : seulement en phase %(allowed)s.", phase=current, allowed=allowed),
              WrongPhase)


def in_phase(action: str, conference, meeting=None) -> Answer:
    """`phase_allows` for a conference (and the meeting the action is done in)."""
    return phase_allows(action, conference.phase, meeting.kind if meeting is not None else None)


def step_allows(current: str, to: str) -> Answer:
    """A phase moves one step forward, or one step back (with a reason the move records); never a jump."""
    order = list(Phase)
    index = order.index(Phase(current))
    if to == current:
        return no(_l("La COP est déjà en phase « %(phase)s ».", phase=_label(to)), WrongPhase)
    if to in order[max(index - 1, 0):index + 2]:
        return YES
    if index + 1 < len(order):
        return no(_l("Pas de saut d'étape : la COP est en phase « %(phase)s », la seule étape suivante est "
                     "« %(next)s ».", phase=_label(current), next=_label(order[index + 1])), WrongPhase)
    return no(_l("Pas de saut d'étape : la COP est en phase « %(phase)s », elle est clôturée.",
                 phase=_label(current)), WrongPhase)
