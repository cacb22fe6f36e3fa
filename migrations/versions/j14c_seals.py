"""Sealed, then revealed, for whole commitments and registry sites too (the seal columns projects already have,
plus the vault their hidden content waits in; a sealed site's commune is in the vault, so commune_id may be NULL).

Revision ID: j14c_seals
Revises: j14b_signature_acts
"""
import sqlalchemy as sa
from alembic import op

revision = "j14c_seals"
down_revision = "j14b_signature_acts"
branch_labels = None
depends_on = None

TABLES = ("commitment", "registry_site")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("is_sealed", sa.Boolean(), server_default=sa.false(), nullable=False))
            batch.add_column(sa.Column("seal_reason", sa.Text(), server_default="", nullable=False))
            batch.add_column(sa.Column("announce_on", sa.Date(), nullable=True))
            batch.add_column(sa.Column("seal_salt", sa.String(length=64), nullable=True))
            batch.add_column(sa.Column("seal_digest", sa.String(length=64), nullable=True))
            batch.add_column(sa.Column("warned_dt", sa.DateTime(timezone=True), nullable=True))
            batch.add_column(sa.Column("revealed_dt", sa.DateTime(timezone=True), nullable=True))
            batch.add_column(sa.Column("revealed_by_id", sa.Integer(), nullable=True))
            batch.add_column(sa.Column("seal_vault", sa.Text(), nullable=True))
            batch.create_foreign_key(batch.f(f"fk_{table}_revealed_by_id_user_account"), "user_account",
                                     ["revealed_by_id"], ["id"])
    with op.batch_alter_table("registry_site") as batch:
        batch.alter_column("commune_id", existing_type=sa.Integer(), nullable=True)


def downgrade():
    with op.batch_alter_table("registry_site") as batch:
        batch.alter_column("commune_id", existing_type=sa.Integer(), nullable=False)
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"fk_{table}_revealed_by_id_user_account", type_="foreignkey")
            for column in ("seal_vault", "revealed_by_id", "revealed_dt", "warned_dt", "seal_digest", "seal_salt",
                           "announce_on", "seal_reason", "is_sealed"):
                batch.drop_column(column)
