"""i13: the draft form as last typed (kept while it is not yet a valid draft); review comment threads; the mail
outbox and each user's language.

Revision ID: i13_filing
Revises: i12b_english_reference
"""
import sqlalchemy as sa
from alembic import op

revision = "i13_filing"
down_revision = "i12b_english_reference"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("commitment_version") as batch:
        batch.add_column(sa.Column("form_state", sa.Text(), nullable=True))
    op.create_table(
        "review_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["user_account.id"], name=op.f("fk_review_comment_author_id_user_account")),
        sa.ForeignKeyConstraint(["version_id"], ["commitment_version.id"],
                                name=op.f("fk_review_comment_version_id_commitment_version")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_comment")),
    )
    op.create_index(op.f("ix_review_comment_version_id"), "review_comment", ["version_id"], unique=False)
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("language", sa.String(length=5), server_default="fr", nullable=False))
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("calendar", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_message_key")),
    )
    op.create_index(op.f("ix_outbox_message_next_attempt_dt"), "outbox_message", ["next_attempt_dt"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_outbox_message_next_attempt_dt"), table_name="outbox_message")
    op.drop_table("outbox_message")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("language")
    op.drop_index(op.f("ix_review_comment_version_id"), table_name="review_comment")
    op.drop_table("review_comment")
    with op.batch_alter_table("commitment_version") as batch:
        batch.drop_column("form_state")
