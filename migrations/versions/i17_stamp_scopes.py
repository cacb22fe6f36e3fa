"""Publication stamps per scope (a COP, the national pages, the speaking records) instead of one for everything

Revision ID: i17_stamp_scopes
Revises: i13_filing
"""
from alembic import op
import sqlalchemy as sa

revision = "i17_stamp_scopes"
down_revision = "i13_filing"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table("publication_stamp")
    op.create_table(
        "publication_stamp",
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("changed_dt", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_publication_stamp")),
    )


def downgrade():
    op.drop_table("publication_stamp")
    op.create_table(
        "publication_stamp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("changed_dt", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_stamp")),
    )
