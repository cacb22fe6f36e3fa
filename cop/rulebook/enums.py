"""The states and phases the rulebook speaks of, as enumerations (the database checks the same values)."""
from enum import StrEnum


class Phase(StrEnum):
    """The phases of a COP, in order."""

    PREPARATION = "preparation"
    CALL_FOR_COMMITMENTS = "call_for_commitments"
    NEGOTIATION = "negotiation"
    ADOPTION = "adoption"
    IMPLEMENTATION = "implementation"
    CLOSED = "closed"


class Role(StrEnum):
    """The roles a person holds in a COP."""

    PRESIDENCY = "presidency"
    SECRETARIAT = "secretariat"
    HEAD_OF_DELEGATION = "head_of_delegation"
    DELEGATE = "delegate"
    OBSERVER = "observer"


class Accreditation(StrEnum):
    """A party's standing in a COP."""

    INVITED = "invited"
    ACCREDITED = "accredited"
    SUSPENDED = "suspended"


class MeetingKind(StrEnum):
    """The kinds of meetings."""

    PLENARY = "plenary"
    CONTACT_GROUP = "contact_group"
    INFORMAL = "informal"
    REVIEW = "review"


class MeetingState(StrEnum):
    """A meeting's life: scheduled → open ⇄ suspended → closed."""

    SCHEDULED = "scheduled"
    OPEN = "open"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class ItemState(StrEnum):
    """An agenda item: pending, open (under discussion), done."""

    PENDING = "pending"
    OPEN = "open"
    DONE = "done"


class CommitmentStatus(StrEnum):
    """A commitment version's life (and a commitment's, as its latest filed version's): draft → submitted →
    accepted | returned; a filed commitment may be withdrawn."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"


class ReportState(StrEnum):
    """A yearly progress report: submitted, then accepted or questioned by the presidency (questioned: filed again)."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    QUESTIONED = "questioned"


class RulesState(StrEnum):
    """A version of the rules of procedure: proposed, in force, replaced by a later one, or set aside."""

    PROPOSED = "proposed"
    IN_FORCE = "in_force"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"


class SealedReaders(StrEnum):
    """Who may read a sealed project before its reveal (a rule of procedure): presidency only, with the
    secretariat, or also the State's services (parties of kind "state", for the instruction of support)."""

    PRESIDENCY = "presidency"
    MANAGERS = "managers"
    MANAGERS_AND_STATE = "managers_and_state"


class ActKind(StrEnum):
    """What authorises a signature of the roadmap: the council's deliberation, or a delegation of signature."""

    DELIBERATION = "deliberation"
    DELEGATION = "delegation"


class AmendmentReason(StrEnum):
    """Why a party asks to lower a signed pledge."""

    CLOSURE = "closure"
    FORCE_MAJEURE = "force_majeure"
    PROJECT_ABANDONED = "project_abandoned"
    OTHER = "other"


class AmendmentState(StrEnum):
    """A request to amend the adopted roadmap: on the agenda, then adopted (version N+1) or not."""

    REQUESTED = "requested"
    ADOPTED = "adopted"
    REJECTED = "rejected"


def values(enum) -> tuple[str, ...]:
    """The stored values of an enumeration, in order."""
    return tuple(member.value for member in enum)


def check_in(column: str, enum) -> str:
    """The SQL of a check constraint that keeps a column within an enumeration's values."""
    return f"{column} IN ({', '.join(repr(v) for v in values(enum))})"
