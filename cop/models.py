"""Import every feature's models so that SQLAlchemy and Alembic know all tables."""
from cop.audit.models import AuditEvent  # noqa: F401
from cop.auth.models import AccountToken, User  # noqa: F401
from cop.commitments.models import Commitment, CommitmentVersion, PartyPrioritySector, Pledge, Site, SupportRequest  # noqa: F401
from cop.commitments.models import ReviewComment  # noqa: F401
from cop.conferences.models import Conference, ConferenceRevision, Membership, Party, PhaseChange, Target  # noqa: F401
from cop.followup.models import ProgressReport  # noqa: F401
from cop.meetings.models import AgendaItem, FloorRequest, Meeting, MeetingEvent  # noqa: F401
from cop.negotiation.decisions.models import Decision, Objection, ObjectionWindow  # noqa: F401
from cop.negotiation.texts.models import Amendment, AmendmentSponsor, Draft, DraftVersion, Paragraph  # noqa: F401
from cop.notify.models import OutboxMessage  # noqa: F401
from cop.negotiation.votes.models import Ballot, Vote, VoteParticipation  # noqa: F401
from cop.public.models import PublicationStamp  # noqa: F401
from cop.projects.models import Project  # noqa: F401
from cop.reference.models import Indicator, Sector  # noqa: F401
from cop.roadmap.models import (ChapterFraming, Roadmap, RoadmapCommitment, RoadmapDocument,  # noqa: F401
                                RoadmapVersion, Signature)
from cop.identity import models as identity_models  # noqa: F401
from cop.territories.models import Commune, CommunePostcode, Territory  # noqa: F401
from cop.fairshare.models import FairShareBasis, FairShareCriterion, FairShareFigure  # noqa: F401
from cop.sites.models import RegistrySite, SiteCommitment  # noqa: F401
from cop.live.models import LiveProcess, LiveSocket  # noqa: F401
from cop.funding.models import Funder, FunderBudget, SupportAnswer  # noqa: F401
from cop.contracts.models import (Contract, ContractMilestone, ContractSignature,  # noqa: F401
                                  ContractSignatureAct, Disbursement)
