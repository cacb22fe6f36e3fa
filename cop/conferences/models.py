"""A COP, its parties, the roles people hold in it, its regional targets and its phase history."""
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Optional

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.db import db, utcnow
from cop.rulebook.enums import Accreditation, Phase, Role, RulesState, SealedReaders, check_in, values
from cop.territories.models import Territory

if TYPE_CHECKING:
    from cop.auth.models import User
    from cop.meetings.models import AgendaItem
    from cop.negotiation.decisions.models import Decision
    from cop.reference.models import Indicator, Sector

PHASES = values(Phase)
DECISION_MODES = ("consensus", "vote")
VOTE_WEIGHTINGS = ("one_party_one_vote", "double_majority")
ROLES = values(Role)
PARTY_ROLES = ("head_of_delegation", "delegate")
PARTY_KINDS = ("region", "departement", "epci", "state", "sector_committee", "organisation")
ACCREDITATIONS = values(Accreditation)


class Conference(db.Model):
    """One edition of a region's COP, with its calendar and its rules."""

    __tablename__ = "conference"
    __table_args__ = (UniqueConstraint("region_id", "edition_year"),
                      CheckConstraint(check_in("phase", Phase), name="phase"),
                      CheckConstraint(check_in("sealed_readers", SealedReaders), name="sealed_readers"))

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("territory.id"), index=True)
    edition_year: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(200))
    #: Short reference used in decision numbers, e.g. "COP-AURA-2027".
    code: Mapped[str] = mapped_column(String(40), unique=True)
    phase: Mapped[str] = mapped_column(String(32), default="preparation")
    description: Mapped[str] = mapped_column(Text, default="")
    # Calendar.
    opens_on: Mapped[Optional[date]] = mapped_column()
    commitments_due_on: Mapped[Optional[date]] = mapped_column()
    negotiation_on: Mapped[Optional[date]] = mapped_column()
    adoption_on: Mapped[Optional[date]] = mapped_column()
    #: Last year pledges may aim at.
    horizon_year: Mapped[int] = mapped_column(default=2030)
    # Rules.
    decision_mode: Mapped[str] = mapped_column(String(16), default="consensus")
    objection_window_seconds: Mapped[int] = mapped_column(default=60)
    vote_weighting: Mapped[str] = mapped_column(String(32), default="one_party_one_vote")
    secret_ballot: Mapped[bool] = mapped_column(default=False)
    speaking_time_seconds: Mapped[int] = mapped_column(default=180)
    max_priority_sectors: Mapped[int] = mapped_column(default=5)
    #: Share of accredited parties that must be present, in percent.
    quorum_percent: Mapped[int] = mapped_column(default=50)
    #: Whether the quorum also applies to decisions by consensus (the chair's proposal needs it).
    consensus_quorum: Mapped[bool] = mapped_column(default=True)
    #: A SealedReaders value: who may read a sealed project before its reveal (every read is audited).
    sealed_readers: Mapped[str] = mapped_column(String(24), default=SealedReaders.MANAGERS,
                                                server_default=SealedReaders.MANAGERS.value)
    #: Whether a signature of the roadmap must carry the act authorising it (deliberation or delegation).
    signature_act_required: Mapped[bool] = mapped_column(default=False)
    #: Bumped on every edit; a form posted from an older copy is refused.
    version: Mapped[int] = mapped_column(default=1)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    region: Mapped[Territory] = relationship()
    parties: Mapped[list["Party"]] = relationship(back_populates="conference", order_by="Party.name")
    targets: Mapped[list["Target"]] = relationship(back_populates="conference")

    __mapper_args__ = {"version_id_col": version}


class PhaseChange(db.Model):
    """A move of a conference from one phase to another, with who and why."""

    __tablename__ = "phase_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    from_phase: Mapped[str] = mapped_column(String(32))
    to_phase: Mapped[str] = mapped_column(String(32))
    #: Required when going back.
    reason: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped["User"] = relationship()


class Party(db.Model):
    """A participant of a conference: a territory, or a named organisation."""

    __tablename__ = "party"
    __table_args__ = (UniqueConstraint("conference_id", "territory_id"),
                      CheckConstraint(check_in("accreditation", Accreditation), name="accreditation"))

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    #: None for an organisation (the State's services, a sector committee…).
    territory_id: Mapped[Optional[int]] = mapped_column(ForeignKey("territory.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    accreditation: Mapped[str] = mapped_column(String(16), default="invited")
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    conference: Mapped[Conference] = relationship(back_populates="parties")
    territory: Mapped[Optional[Territory]] = relationship()

    @property
    def population(self) -> int:
        """Population the party speaks for: its territory's, or zero for an organisation."""
        return self.territory.population if self.territory else 0


class Membership(db.Model):
    """The role a user holds in a conference, and the party where the role has one."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "conference_id"),
                      CheckConstraint(check_in("role", Role), name="role"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    party_id: Mapped[Optional[int]] = mapped_column(ForeignKey("party.id"), index=True)
    #: A delegate may file and vote for the party only when the head allows it.
    may_file: Mapped[bool] = mapped_column(default=False)
    #: Delegates are accredited by the presidency before they act in meetings.
    is_accredited: Mapped[bool] = mapped_column(default=False)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped["User"] = relationship()
    conference: Mapped[Conference] = relationship()
    party: Mapped[Optional[Party]] = relationship()


class Target(db.Model):
    """The regional goal for one filière × indicator × year."""

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("conference_id", "sector_id", "indicator_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    sector_id: Mapped[int] = mapped_column(ForeignKey("sector.id"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"))
    year: Mapped[int] = mapped_column()
    value: Mapped[Decimal] = mapped_column(Numeric(18, 2))

    conference: Mapped[Conference] = relationship(back_populates="targets")
    sector: Mapped["Sector"] = relationship()
    indicator: Mapped["Indicator"] = relationship()


class ConferenceRevision(db.Model):
    """One edit of a conference's settings or phase: which fields changed, by whom, into which version."""

    __tablename__ = "conference_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    #: The conference version this edit produced.
    version: Mapped[int] = mapped_column()
    #: Comma-separated names of the changed columns ("phase" for a phase move).
    fields: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped["User"] = relationship()


class RulesVersion(db.Model):
    """One version of a COP's rules of procedure: set by the presidency before the first plenary, then proposed
    on a plenary's agenda item and put in force by that item's decision. Every version stays public."""

    __tablename__ = "rules_version"
    __table_args__ = (UniqueConstraint("conference_id", "number"),
                      CheckConstraint(check_in("state", RulesState), name="state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    number: Mapped[int] = mapped_column()
    #: The rules as they read in this version, keyed by Conference column.
    rules: Mapped[dict] = mapped_column(JSON)
    #: A RulesState: proposed, in_force, superseded or withdrawn.
    state: Mapped[str] = mapped_column(String(16))
    #: The plenary's agenda item whose decision puts a proposal in force (None when set in preparation).
    agenda_item_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agenda_item.id"), index=True)
    #: The decision that adopted it (None when the presidency set it before the first plenary).
    decision_id: Mapped[Optional[int]] = mapped_column(ForeignKey("decision.id"))
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    proposed_dt: Mapped[datetime] = mapped_column(default=utcnow)
    in_force_dt: Mapped[Optional[datetime]] = mapped_column()
    #: The phase the COP was in when this version was set or proposed.
    phase: Mapped[str] = mapped_column(String(32))

    proposed_by: Mapped["User"] = relationship()
    agenda_item: Mapped[Optional["AgendaItem"]] = relationship()
    decision: Mapped[Optional["Decision"]] = relationship()
