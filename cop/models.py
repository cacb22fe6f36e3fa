"""Import every feature's models so that SQLAlchemy and Alembic know all tables."""
from cop.auth.models import AccountToken, User  # noqa: F401
from cop.conferences.models import Conference, Membership, Party, PhaseChange, Target  # noqa: F401
from cop.reference.models import Indicator, Sector  # noqa: F401
from cop.territories.models import Commune, CommunePostcode, Territory  # noqa: F401
