"""Votes: the rules frozen at opening, running counters, who took part (public), and the ballots."""
import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy import JSON, DDL, ForeignKey, LargeBinary, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.db import db, utcnow

if TYPE_CHECKING:
    from cop.conferences.models import Party

CHOICES = ("yes", "no", "abstain")


class Vote(db.Model):
    """A vote on an item: its rules frozen at opening, running counters, and the result at close."""

    __tablename__ = "vote"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id"))
    paragraph_id: Mapped[Optional[int]] = mapped_column(ForeignKey("paragraph.id"))
    question: Mapped[str] = mapped_column(Text)
    #: "one_party_one_vote" or "double_majority", from the rules at opening.
    weighting: Mapped[str] = mapped_column(String(32))
    is_secret: Mapped[bool] = mapped_column()
    #: "open" or "closed".
    state: Mapped[str] = mapped_column(String(16), default="open")
    #: {party id: population} of the accredited parties at opening: who may vote, with what weight.
    electorate: Mapped[dict[str, int]] = mapped_column(JSON)
    #: Parties present when the vote opened, and how many the quorum required.
    present_count: Mapped[int] = mapped_column()
    quorum_required: Mapped[int] = mapped_column()
    # Running counters (the only tally of a secret ballot): parties and population per choice.
    yes_count: Mapped[int] = mapped_column(default=0)
    no_count: Mapped[int] = mapped_column(default=0)
    abstain_count: Mapped[int] = mapped_column(default=0)
    yes_population: Mapped[int] = mapped_column(default=0)
    no_population: Mapped[int] = mapped_column(default=0)
    abstain_population: Mapped[int] = mapped_column(default=0)
    #: Published at close: counts, shares, outcome.
    result: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    #: "adopted" or "rejected" once closed.
    outcome: Mapped[Optional[str]] = mapped_column(String(16))
    decision_id: Mapped[Optional[int]] = mapped_column(ForeignKey("decision.id"))
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    opened_dt: Mapped[datetime] = mapped_column(default=utcnow)
    closed_dt: Mapped[Optional[datetime]] = mapped_column()

    participations: Mapped[list["VoteParticipation"]] = relationship(order_by="VoteParticipation.id")

    @property
    def is_open(self) -> bool:
        """Ballots are still accepted."""
        return self.state == "open"


class VoteParticipation(db.Model):
    """That a party took part in a vote: public, whatever the ballot."""

    __tablename__ = "vote_participation"
    __table_args__ = (UniqueConstraint("vote_id", "party_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("vote.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"))
    #: Who cast the party's vote.
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    party: Mapped["Party"] = relationship()


def _ballot_id() -> str:
    """A random ballot id: it says nothing about when or by whom the ballot was filled."""
    return secrets.token_hex(16)


class Ballot(db.Model):
    """One ballot. Public: the party and its choice. Secret: one sealed row per cast or change, never updated, and
    deleted at the close (see ballots.py)."""

    __tablename__ = "ballot"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_ballot_id)
    vote_id: Mapped[int] = mapped_column(ForeignKey("vote.id"), index=True)
    #: "yes", "no", "abstain" for a public ballot; always None on a secret one.
    choice: Mapped[Optional[str]] = mapped_column(String(8))
    #: A secret ballot, sealed (AES-GCM) under its vote's key: receipt digest, choice, weight, version.
    sealed: Mapped[Optional[bytes]] = mapped_column(LargeBinary(128))
    #: The party, for a public ballot only; always None on a secret one.
    party_id: Mapped[Optional[int]] = mapped_column(ForeignKey("party.id"))


class BallotKey(db.Model):
    """The key sealing an open secret vote's ballots; deleted (and its table rewritten) at the close.

    On PostgreSQL the table is UNLOGGED: the key never reaches the write-ahead log, its archives or replicas; after
    a crash PostgreSQL empties it, and the vote's ballots can no longer be counted (the vote closes as void).
    """

    __tablename__ = "ballot_key"

    vote_id: Mapped[int] = mapped_column(ForeignKey("vote.id"), primary_key=True)
    key: Mapped[bytes] = mapped_column(LargeBinary(32))


event.listen(BallotKey.__table__, "after_create",
             DDL("ALTER TABLE ballot_key SET UNLOGGED").execute_if(dialect="postgresql"))
