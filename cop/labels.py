"""French labels for the codes stored in the database (translated through Flask-Babel)."""
from flask_babel import lazy_gettext as _l

PHASE_LABELS = {
    "preparation": _l("Préparation"),
    "call_for_commitments": _l("Appel à engagements"),
    "negotiation": _l("Négociation"),
    "adoption": _l("Adoption"),
    "implementation": _l("Mise en œuvre"),
    "closed": _l("Clôturée"),
}
ROLE_LABELS = {
    "presidency": _l("Présidence"),
    "secretariat": _l("Secrétariat"),
    "head_of_delegation": _l("Chef de délégation"),
    "delegate": _l("Délégué"),
    "observer": _l("Observateur"),
}
PARTY_KIND_LABELS = {
    "region": _l("Région"),
    "departement": _l("Département"),
    "epci": _l("Intercommunalité"),
    "state": _l("Services de l'État"),
    "sector_committee": _l("Comité de filière"),
    "organisation": _l("Organisation"),
}
ACCREDITATION_LABELS = {
    "invited": _l("Invitée"),
    "accredited": _l("Accréditée"),
    "suspended": _l("Suspendue"),
}
RULES_STATE_LABELS = {
    "proposed": _l("proposée à la plénière"),
    "in_force": _l("en vigueur"),
    "superseded": _l("remplacée"),
    "withdrawn": _l("retirée"),
}
DECISION_MODE_LABELS = {"consensus": _l("Consensus"), "vote": _l("Vote")}
VOTE_WEIGHTING_LABELS = {
    "one_party_one_vote": _l("Une partie, une voix"),
    "double_majority": _l("Double majorité (parties et population)"),
}
SEALED_READERS_LABELS = {
    "presidency": _l("La présidence seule"),
    "managers": _l("La présidence et le secrétariat"),
    "managers_and_state": _l("La présidence, le secrétariat et les services de l’État (instruction des aides)"),
}


#: The button of each accreditation move, and whether it is a danger.
ACCREDITATION_MOVE_LABELS = {"accredited": (_l("Accréditer"), False), "suspended": (_l("Suspendre"), True),
                             "invited": (_l("Remettre en invitée"), False)}


def accreditation_moves(party) -> list:
    """The buttons the parties page shows for a party: the moves the rulebook allows from its standing."""
    from types import SimpleNamespace

    from cop.rulebook.states import ACCREDITATION_MOVES

    return [SimpleNamespace(to=str(to), label=ACCREDITATION_MOVE_LABELS[to][0], danger=ACCREDITATION_MOVE_LABELS[to][1])
            for to in ACCREDITATION_MOVES[party.accreditation]]


def phase(code: str) -> str:
    """The label of a phase."""
    return str(PHASE_LABELS.get(code, code))


def role(code: str) -> str:
    """The label of a role."""
    return str(ROLE_LABELS.get(code, code))
