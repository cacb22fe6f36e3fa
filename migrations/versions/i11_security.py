"""Security (issue 11): sealed secret ballots and their unlogged key table; the shared login and reset throttle.

Revision ID: i11_security
Revises: i17_stamp_scopes
"""
import sqlalchemy as sa
from alembic import op

revision = "i11_security"
down_revision = "i17_stamp_scopes"
branch_labels = None
depends_on = None


def upgrade():
    # Secret ballots are sealed rows now: an open vote's rewritable receipt hashes go (votes in progress are lost).
    op.execute("DELETE FROM ballot WHERE party_id IS NULL")
    with op.batch_alter_table("ballot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ballot_receipt_hash"))
        batch_op.drop_column("receipt_hash")
        batch_op.add_column(sa.Column("sealed", sa.LargeBinary(length=128), nullable=True))
    op.create_table(
        "ballot_key",
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.LargeBinary(length=32), nullable=False),
        sa.ForeignKeyConstraint(["vote_id"], ["vote.id"], name=op.f("fk_ballot_key_vote_id_vote")),
        sa.PrimaryKeyConstraint("vote_id", name=op.f("pk_ballot_key")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE ballot_key SET UNLOGGED")
    op.create_table(
        "throttle_hit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_throttle_hit")),
    )
    with op.batch_alter_table("throttle_hit", schema=None) as batch_op:
        batch_op.create_index("ix_throttle_hit_key_created", ["key_hash", "created_dt"], unique=False)
        batch_op.create_index(batch_op.f("ix_throttle_hit_created_dt"), ["created_dt"], unique=False)


def downgrade():
    op.drop_table("throttle_hit")
    op.drop_table("ballot_key")
    op.execute("DELETE FROM ballot WHERE party_id IS NULL")
    with op.batch_alter_table("ballot", schema=None) as batch_op:
        batch_op.drop_column("sealed")
        batch_op.add_column(sa.Column("receipt_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_ballot_receipt_hash"), ["receipt_hash"], unique=False)
