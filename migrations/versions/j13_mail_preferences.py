"""Mail preferences: immediate messages or a daily digest, one-link unsubscribe; outbox rows know their recipient
account, whether they wait for the digest, and their List-Unsubscribe link; an invitation keeps its language.

Revision ID: j13_mail_preferences
Revises: j15_funding
"""
import sqlalchemy as sa
from alembic import op

revision = "j13_mail_preferences"
down_revision = "j15_funding"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("mail_mode", sa.String(length=16), server_default="immediate", nullable=False))
        batch.add_column(sa.Column("unsubscribed_dt", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("mail_generation", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("last_digest_dt", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("last_visit_dt", sa.DateTime(timezone=True), nullable=True))
        batch.create_check_constraint(op.f("ck_user_account_mail_mode"), "mail_mode IN ('immediate', 'digest')")
    with op.batch_alter_table("account_token") as batch:
        batch.add_column(sa.Column("language", sa.String(length=5), nullable=True))
    with op.batch_alter_table("outbox_message") as batch:
        batch.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("delivery", sa.String(length=16), server_default="immediate", nullable=False))
        batch.add_column(sa.Column("unsubscribe_url", sa.String(length=500), nullable=True))
        batch.create_foreign_key(op.f("fk_outbox_message_user_id_user_account"), "user_account", ["user_id"], ["id"])
        batch.create_index(op.f("ix_outbox_message_user_id"), ["user_id"])
        batch.create_check_constraint(op.f("ck_outbox_message_delivery"), "delivery IN ('immediate', 'digest')")


def downgrade():
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_constraint(op.f("ck_outbox_message_delivery"), type_="check")
        batch.drop_index(op.f("ix_outbox_message_user_id"))
        batch.drop_constraint(op.f("fk_outbox_message_user_id_user_account"), type_="foreignkey")
        batch.drop_column("unsubscribe_url")
        batch.drop_column("delivery")
        batch.drop_column("user_id")
    with op.batch_alter_table("account_token") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_constraint(op.f("ck_user_account_mail_mode"), type_="check")
        batch.drop_column("last_visit_dt")
        batch.drop_column("last_digest_dt")
        batch.drop_column("mail_generation")
        batch.drop_column("unsubscribed_dt")
        batch.drop_column("mail_mode")
