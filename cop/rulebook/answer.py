"""An answer of the rulebook: yes or no, with a reason a person can read, and the error a refusal raises."""
from dataclasses import dataclass
from typing import Optional, Type

from cop.errors import DomainError, Forbidden


@dataclass(frozen=True)
class Answer:
    """Truthy when allowed; `reason` says why not (a lazily translated string) and `error` what to raise."""

    allowed: bool
    reason: Optional[object] = None
    error: Type[DomainError] = Forbidden

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def message(self) -> str:
        """The reason in the reader's language ("" for a yes)."""
        return str(self.reason) if self.reason is not None else ""

    def as_dict(self) -> dict:
        """JSON form for the live snapshot and the API: {"ok": bool, "reason": str|None}."""
        return {"ok": self.allowed, "reason": self.message or None}


YES = Answer(True)


def no(reason, error: Type[DomainError] = Forbidden) -> Answer:
    """A refusal with its reason and the domain error it raises."""
    return Answer(False, reason, error)


def first_no(*answers: Answer) -> Answer:
    """The first refusal among the answers, else yes (callers pass them cheapest first)."""
    return next((a for a in answers if not a), YES)


def require(answer: Answer) -> Answer:
    """Raise the answer's domain error with its reason when it is a no; return it otherwise."""
    if not answer:
        raise answer.error(answer.message)
    return answer
