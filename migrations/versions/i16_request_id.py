"""Audit events name the request or live command that recorded them (X-Request-Id).

Revision ID: i16_request_id
Revises: i11_security
"""
import sqlalchemy as sa
from alembic import op

revision = "i16_request_id"
down_revision = "i11_security"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_event") as batch:
        batch.add_column(sa.Column("request_id", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_column("request_id")
