"""Places a citizen types: the arrondissements of Paris, Lyon and Marseille, and the EPT of the Métropole du Grand
Paris a commune belongs to (rows loaded by `cop seed` from seeds/data/arrondissements.csv and ept.csv).

Revision ID: j12_places
Revises: j14a_projects
"""
import sqlalchemy as sa
from alembic import op

revision = "j12_places"
down_revision = "j14a_projects"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "commune_arrondissement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["commune_id"], ["commune.id"], name=op.f("fk_commune_arrondissement_commune_id_commune"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commune_arrondissement")),
        sa.UniqueConstraint("code", name=op.f("uq_commune_arrondissement_code")),
    )
    op.create_index(op.f("ix_commune_arrondissement_commune_id"), "commune_arrondissement", ["commune_id"])
    with op.batch_alter_table("commune") as batch:
        batch.add_column(sa.Column("ept_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_commune_ept_id"), ["ept_id"])
        batch.create_foreign_key(batch.f("fk_commune_ept_id_territory"), "territory", ["ept_id"], ["id"])


def downgrade():
    with op.batch_alter_table("commune") as batch:
        batch.drop_constraint(batch.f("fk_commune_ept_id_territory"), type_="foreignkey")
        batch.drop_index(batch.f("ix_commune_ept_id"))
        batch.drop_column("ept_id")
    op.drop_index(op.f("ix_commune_arrondissement_commune_id"), table_name="commune_arrondissement")
    op.drop_table("commune_arrondissement")
