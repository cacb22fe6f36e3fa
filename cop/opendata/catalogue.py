"""Every downloadable table, in the order of the data package."""
from cop.opendata.outcomes import OUTCOMES
from cop.opendata.tables import REGISTRY

TABLES = REGISTRY + OUTCOMES
BY_NAME = {table.name: table for table in TABLES}
