"""What: the object states that allow each action (the meeting's state for everything said in the room)."""
from datetime import timezone

from flask_babel import lazy_gettext as _l

from cop.errors import Conflict, Forbidden
from cop.rulebook.answer import YES, Answer, no
from cop.rulebook.enums import Accreditation as A
from cop.rulebook.enums import CommitmentStatus as C
from cop.rulebook.enums import MeetingState as S
from cop.rulebook.enums import ReportState as R

#: A commitment's versions a later one is compared with (and that make it "filed"): not a draft nor a returned one.
BASELINE = (C.SUBMITTED, C.ACCEPTED, C.WITHDRAWN)
IN_SESSION = (S.OPEN,)
ON_RECORD = (S.OPEN, S.SUSPENDED)
NOT_CLOSED = (S.SCHEDULED, S.OPEN, S.SUSPENDED)

#: The meeting states in which each of a meeting's actions may happen.
MEETING_STATES: dict[str, tuple[S, ...]] = {
    "agenda.edit": NOT_CLOSED,
    "meeting.open": (S.SCHEDULED,),
    "meeting.suspend": IN_SESSION,
    "meeting.resume": (S.SUSPENDED,),
    "meeting.close": ON_RECORD,
    **{name: IN_SESSION for name in (
        "item.open", "item.next", "rollcall.record", "floor.request", "floor.give", "floor.next",
        "floor.invite_observer", "timer.start", "timer.stop", "text.edit", "text.resolve", "text.status",
        "amendment.take_up", "amendment.integrate", "amendment.bracket", "amendment.set_aside",
        "decision.propose", "decision.cancel", "decision.take_note", "vote.open", "vote.cast", "vote.change",
        "vote.close")},
    **{name: ON_RECORD for name in (
        "floor.withdraw", "floor.remove", "text.create", "amendment.table", "amendment.cosponsor",
        "amendment.revise", "amendment.withdraw", "decision.gavel", "objection.raise", "objection.withdraw",
        "objection.overrule")},
}
STATE_REASONS = {
    S.SCHEDULED: _l("La séance n’est pas encore ouverte."),
    S.SUSPENDED: _l("La séance est suspendue."),
    S.CLOSED: _l("La séance est close."),
    S.OPEN: _l("La séance est ouverte."),
}


def state_allows(action: str, state: str) -> Answer:
    """Yes when a meeting in `state` lets the action happen; otherwise what the state is."""
    allowed = MEETING_STATES.get(action)
    if allowed is None or state in allowed:
        return YES
    return no(STATE_REASONS[S(state)], Conflict)


def meeting_allows(action: str, meeting) -> Answer:
    """`state_allows` for a meeting."""
    return state_allows(action, meeting.state)


#: The standings a party may be moved to from each one (an accredited party is suspended, never re-invited).
ACCREDITATION_MOVES = {
    A.INVITED: (A.ACCREDITED, A.SUSPENDED),
    A.ACCREDITED: (A.SUSPENDED,),
    A.SUSPENDED: (A.ACCREDITED, A.INVITED),
}


def accreditation_allows(current: str, to: str) -> Answer:
    """Yes when a party standing `current` may be moved to `to`."""
    if to in ACCREDITATION_MOVES[A(current)]:
        return YES
    return no(_l("Une partie accréditée se suspend ; elle ne redevient pas simplement invitée."), Conflict)


#: What the state of the object acted on allows: action → (the test, the reason it fails, or a function of the
#: object giving it). The objects: `Commitment` (withdraw), `CommitmentVersion` (review, comment), `RoadmapVersion`
#: (frame a draft, sign the adopted version), `ProgressReport` (report again, review).
OBJECT_STATES: dict[str, tuple] = {
    "commitment.withdraw": (lambda c: c.status not in (C.DRAFT, C.WITHDRAWN),
                            _l("Seul un engagement déposé et non retiré peut être retiré.")),
    "commitment.review": (lambda v: v.status == C.SUBMITTED,
                          _l("Cette version a déjà été examinée ou n’a pas été soumise.")),
    "commitment.comment": (lambda v: v.status != C.DRAFT,
                           _l("Un brouillon n’a pas de fil d’examen : soumettez-le d’abord.")),
    "progress.report": (lambda r: r.state != R.ACCEPTED,
                        lambda r: _l("Le rapport %(year)s de cette cible a déjà été accepté par la présidence.",
                                     year=r.year)),
    "roadmap.frame": (lambda v: v.state == "draft",
                      lambda v: _l("La version %(number)s n’est plus un projet : elle ne se modifie plus. Générez une "
                                   "nouvelle version.", number=v.number)),
    "roadmap.sign": (lambda v: v.state == "adopted",
                     lambda v: _l("La version %(n)s n’est pas la version adoptée en vigueur : seule celle-ci se "
                                  "signe.", n=v.number)),
    "contract.disburse": (lambda c: c.is_signed,
                          lambda c: _l("Le contrat n° %(n)s n’est pas encore signé par ses trois parties : aucun "
                                       "versement ne s’y enregistre.", n=c.number)),
    # Sealed, then revealed: only what was never published can be sealed; a content is revealed once.
    "seal.seal": (lambda o: not o.is_sealed and o.seal_unpublished,
                  _l("Ce contenu a déjà été publié ou scellé : il ne peut plus être scellé.")),
    "seal.reveal": (lambda o: o.is_hidden, _l("Ce contenu n’est pas (ou plus) scellé.")),
    "site.register": (lambda s: not s.is_hidden,
                      _l("Un site scellé ne se modifie qu’après sa révélation (son contenu est sous sceau).")),
    "progress.review": (lambda r: r.state == R.SUBMITTED,
                        _l("Ce rapport a déjà été examiné : la partie doit d’abord le déposer à nouveau.")),
}


def object_allows(action: str, obj) -> Answer:
    """Yes when the state of `obj` (a commitment, a version, a progress report) lets the action happen; else why not."""
    rule = OBJECT_STATES.get(action)
    if rule is None or obj is None or rule[0](obj):
        return YES
    return no(rule[1](obj) if callable(rule[1]) else rule[1], Conflict)


def filing_action(commitment=None) -> str:
    """The action a party takes on a commitment's draft: filing a new one, or revising one already filed (a
    filed commitment — one with a submitted, accepted or withdrawn version — may be revised after the call)."""
    if commitment is not None and any(v.status in BASELINE for v in commitment.versions):
        return "commitment.revise"
    return "commitment.file"


def draft_open(commitment) -> Answer:
    """Yes when the commitment has a draft to save or submit (always its last version)."""
    versions = commitment.versions
    if versions and versions[-1].status == C.DRAFT:
        return YES
    return no(_l("Cet engagement n’a pas de brouillon ouvert : ouvrez une nouvelle version."), Conflict)


def seal_reveal_due(obj, now, notice) -> Answer:
    """The presidency reveals a sealed content only at its announcement date, its holder warned `notice` before."""
    if not obj.is_hidden:
        return no(_l("Ce contenu n’est pas (ou plus) scellé."), Conflict)
    if obj.announce_on is None or now.date() < obj.announce_on:
        return no(_l("La date d’annonce de ce contenu n’est pas arrivée."), Conflict)
    warned = obj.warned_dt
    if warned is not None and warned.tzinfo is None:  # SQLite hands datetimes back without their zone (UTC)
        warned = warned.replace(tzinfo=timezone.utc)
    if warned is None or now < warned + notice:
        return no(_l("Le détenteur doit être prévenu de la révélation au moins sept jours avant."), Conflict)
    return YES


def contract_signatory(contract, party) -> Answer:
    """A contract is signed by its three parties only: the territory, the Region and the State's representative."""
    if party.id in {s["party"] for s in contract.content["signatories"]}:
        return YES
    return no(_l("« %(party)s » n’est pas partie au contrat n° %(n)s : seuls le territoire, la Région et l’État le "
                 "signent.", party=party.name, n=contract.number), Forbidden)


def contract_payer(contract, party) -> Answer:
    """A disbursement is entered by the territory of the contract or by a funder whose support it carries."""
    funders = {s["funder_party"] for s in contract.content["support"]}
    if party.id == contract.party_id or party.id in funders:
        return YES
    return no(_l("Seuls le territoire du contrat n° %(n)s et ses financeurs enregistrent ses versements.",
                 n=contract.number), Forbidden)
