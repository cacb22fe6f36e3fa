"""i13: the draft form as last typed, kept while it is not yet a valid draft.

Revision ID: i13_filing
Revises: i10a_rulebook
"""
import sqlalchemy as sa
from alembic import op

revision = "i13_filing"
down_revision = "i10a_rulebook"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("commitment_version") as batch:
        batch.add_column(sa.Column("form_state", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("commitment_version") as batch:
        batch.drop_column("form_state")
