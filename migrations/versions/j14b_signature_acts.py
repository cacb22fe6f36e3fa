"""Signatures backed by an act (deliberation or delegation, its PDF and SHA-256), the rule that requires one, and
amendments of an adopted roadmap chained by hash

Revision ID: j14b_signature_acts
Revises: j12_places
"""
from alembic import op
import sqlalchemy as sa

revision = "j14b_signature_acts"
down_revision = "j12_places"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("conference") as batch:
        batch.add_column(sa.Column("signature_act_required", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    with op.batch_alter_table("roadmap_version") as batch:
        batch.add_column(sa.Column("previous_sha256", sa.String(length=64), nullable=True))
    op.create_table(
        "roadmap_signature_act",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signature_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("adopted_on", sa.Date(), nullable=False),
        sa.Column("body", sa.String(length=200), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_dt", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('deliberation', 'delegation')", name=op.f("ck_roadmap_signature_act_kind")),
        sa.ForeignKeyConstraint(["signature_id"], ["roadmap_signature.id"],
                                name=op.f("fk_roadmap_signature_act_signature_id_roadmap_signature")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roadmap_signature_act")),
        sa.UniqueConstraint("signature_id", name=op.f("uq_roadmap_signature_act_signature_id")),
    )
    op.create_table(
        "roadmap_amendment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("base_version_id", sa.Integer(), nullable=False),
        sa.Column("commitment_version_id", sa.Integer(), nullable=False),
        sa.Column("pledges", sa.JSON(), nullable=False),
        sa.Column("reason_kind", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("result_version_id", sa.Integer(), nullable=True),
        sa.Column("new_commitment_version_id", sa.Integer(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_dt", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("state IN ('requested', 'adopted', 'rejected')", name=op.f("ck_roadmap_amendment_state")),
        sa.CheckConstraint("reason_kind IN ('closure', 'force_majeure', 'project_abandoned', 'other')",
                           name=op.f("ck_roadmap_amendment_reason_kind")),
        sa.ForeignKeyConstraint(["agenda_item_id"], ["agenda_item.id"],
                                name=op.f("fk_roadmap_amendment_agenda_item_id_agenda_item")),
        sa.ForeignKeyConstraint(["base_version_id"], ["roadmap_version.id"],
                                name=op.f("fk_roadmap_amendment_base_version_id_roadmap_version")),
        sa.ForeignKeyConstraint(["commitment_id"], ["commitment.id"],
                                name=op.f("fk_roadmap_amendment_commitment_id_commitment")),
        sa.ForeignKeyConstraint(["commitment_version_id"], ["commitment_version.id"],
                                name=op.f("fk_roadmap_amendment_commitment_version_id_commitment_version")),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"],
                                name=op.f("fk_roadmap_amendment_conference_id_conference")),
        sa.ForeignKeyConstraint(["decision_id"], ["decision.id"], name=op.f("fk_roadmap_amendment_decision_id_decision")),
        sa.ForeignKeyConstraint(["new_commitment_version_id"], ["commitment_version.id"],
                                name=op.f("fk_roadmap_amendment_new_commitment_version_id_commitment_version")),
        sa.ForeignKeyConstraint(["party_id"], ["party.id"], name=op.f("fk_roadmap_amendment_party_id_party")),
        sa.ForeignKeyConstraint(["requested_by_id"], ["user_account.id"],
                                name=op.f("fk_roadmap_amendment_requested_by_id_user_account")),
        sa.ForeignKeyConstraint(["result_version_id"], ["roadmap_version.id"],
                                name=op.f("fk_roadmap_amendment_result_version_id_roadmap_version")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roadmap_amendment")),
    )
    with op.batch_alter_table("roadmap_amendment") as batch:
        batch.create_index(batch.f("ix_roadmap_amendment_agenda_item_id"), ["agenda_item_id"], unique=False)
        batch.create_index(batch.f("ix_roadmap_amendment_conference_id"), ["conference_id"], unique=False)
        batch.create_index(batch.f("ix_roadmap_amendment_party_id"), ["party_id"], unique=False)


def downgrade():
    op.drop_table("roadmap_amendment")
    op.drop_table("roadmap_signature_act")
    with op.batch_alter_table("roadmap_version") as batch:
        batch.drop_column("previous_sha256")
    with op.batch_alter_table("conference") as batch:
        batch.drop_column("signature_act_required")
