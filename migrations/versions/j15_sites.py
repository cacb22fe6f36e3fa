"""The registry of ready-to-use industrial sites of a COP and the commitments tied to them.

Revision ID: j15_sites
Revises: j15_cop_counterparts
"""
import sqlalchemy as sa
from alembic import op

revision = "j15_sites"
down_revision = "j15_cop_counterparts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "registry_site",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("departement_code", sa.String(length=4), nullable=False),
        sa.Column("hectares", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("available_on", sa.Date(), nullable=True),
        sa.Column("power_mw", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("rail_access", sa.Boolean(), nullable=False),
        sa.Column("port_access", sa.Boolean(), nullable=False),
        sa.Column("icpe", sa.String(length=16), nullable=False),
        sa.Column("land_take_avoided_ha", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_dt", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('brownfield', 'rehabilitating', 'ready', 'taken')",
                           name=op.f("ck_registry_site_status")),
        sa.CheckConstraint("icpe IN ('none', 'declaration', 'registration', 'authorisation', 'seveso_low', "
                           "'seveso_high')", name=op.f("ck_registry_site_icpe")),
        sa.ForeignKeyConstraint(["commune_id"], ["commune.id"], name=op.f("fk_registry_site_commune_id_commune")),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"],
                                name=op.f("fk_registry_site_conference_id_conference")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_site")),
    )
    op.create_index(op.f("ix_registry_site_conference_id"), "registry_site", ["conference_id"])
    op.create_index(op.f("ix_registry_site_commune_id"), "registry_site", ["commune_id"])
    op.create_index(op.f("ix_registry_site_departement_code"), "registry_site", ["departement_code"])
    op.create_table(
        "registry_site_commitment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("use", sa.String(length=16), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("use IN ('rehabilitates', 'uses')", name=op.f("ck_registry_site_commitment_use")),
        sa.ForeignKeyConstraint(["commitment_id"], ["commitment.id"],
                                name=op.f("fk_registry_site_commitment_commitment_id_commitment")),
        sa.ForeignKeyConstraint(["site_id"], ["registry_site.id"], ondelete="CASCADE",
                                name=op.f("fk_registry_site_commitment_site_id_registry_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_site_commitment")),
        sa.UniqueConstraint("site_id", "commitment_id",
                            name=op.f("uq_registry_site_commitment_site_id_commitment_id")),
    )
    op.create_index(op.f("ix_registry_site_commitment_site_id"), "registry_site_commitment", ["site_id"])
    op.create_index(op.f("ix_registry_site_commitment_commitment_id"), "registry_site_commitment",
                    ["commitment_id"])



def downgrade():
    op.drop_table("registry_site_commitment")
    op.drop_table("registry_site")
