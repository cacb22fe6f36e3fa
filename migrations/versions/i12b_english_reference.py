"""English names of the filières and indicators (and the indicators' units), beside the French ones

Revision ID: i12b_english_reference
Revises: i12a_print_identity
"""
import sqlalchemy as sa
from alembic import op

revision = "i12b_english_reference"
down_revision = "i12a_print_identity"
branch_labels = None
depends_on = None

SECTORS = {
    "aeronautique": "Aeronautics", "agroalimentaire": "Food industries", "automobile": "Automotive", "bois": "Wood",
    "chimie-materiaux": "Chemicals and materials", "eau": "Water", "electronique": "Electronics industry",
    "ferroviaire": "Rail", "sante": "Health industries and technologies", "securite": "Security industries",
    "nouveaux-systemes-energetiques": "New energy systems industries", "construction": "Construction industries",
    "mer": "Maritime industries", "infrastructures-numeriques": "Digital infrastructure",
    "mines-metallurgie": "Mining and metallurgy", "mode-luxe": "Fashion and luxury", "nucleaire": "Nuclear",
    "industrie-du-futur": "Industry of the future solutions", "dechets": "Waste transformation and recovery",
}
INDICATORS = {
    "jobs-created": ("Industrial jobs created", "jobs"), "jobs-maintained": ("Industrial jobs maintained", "jobs"),
    "investment": ("Industrial investment", "€"), "brownfield-ha": ("Brownfields rehabilitated", "ha"),
    "ready-land-ha": ("Ready-to-use industrial land", "ha"), "training-places": ("Training places", "places"),
    "net-sites": ("Industrial sites opened (net)", "sites"), "ghg-reduction": ("Reduction of GHG emissions", "tCO2e"),
}


def upgrade():
    with op.batch_alter_table("sector") as batch:
        batch.add_column(sa.Column("name_en", sa.String(200), nullable=False, server_default=""))
    with op.batch_alter_table("indicator") as batch:
        batch.add_column(sa.Column("name_en", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("unit_en", sa.String(32), nullable=False, server_default=""))
    sector = sa.table("sector", sa.column("code"), sa.column("name_en"))
    for code, name in SECTORS.items():
        op.execute(sector.update().where(sector.c.code == code).values(name_en=name))
    indicator = sa.table("indicator", sa.column("code"), sa.column("name_en"), sa.column("unit_en"))
    for code, (name, unit) in INDICATORS.items():
        op.execute(indicator.update().where(indicator.c.code == code).values(name_en=name, unit_en=unit))


def downgrade():
    with op.batch_alter_table("indicator") as batch:
        batch.drop_column("unit_en")
        batch.drop_column("name_en")
    with op.batch_alter_table("sector") as batch:
        batch.drop_column("name_en")
