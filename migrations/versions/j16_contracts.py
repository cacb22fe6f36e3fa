"""Contracts: a territory's pledges in one filière, the support granted and the milestones, frozen with their
SHA-256, signed by the territory, the Region and the State on their acts, and the funds disbursed

Revision ID: j16_contracts
Revises: j14c_seals
"""
from alembic import op
import sqlalchemy as sa

revision = "j16_contracts"
down_revision = "j14c_seals"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "contract",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("sector_id", sa.Integer(), nullable=False),
        sa.Column("commitment_version_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("canonical_json", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("generated_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("generated_by_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("state IN ('generated', 'signed')", name=op.f("ck_contract_state")),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"], name=op.f("fk_contract_conference_id_conference")),
        sa.ForeignKeyConstraint(["party_id"], ["party.id"], name=op.f("fk_contract_party_id_party")),
        sa.ForeignKeyConstraint(["sector_id"], ["sector.id"], name=op.f("fk_contract_sector_id_sector")),
        sa.ForeignKeyConstraint(["commitment_version_id"], ["commitment_version.id"],
                                name=op.f("fk_contract_commitment_version_id_commitment_version")),
        sa.ForeignKeyConstraint(["generated_by_id"], ["user_account.id"],
                                name=op.f("fk_contract_generated_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract")),
        sa.UniqueConstraint("conference_id", "number", name=op.f("uq_contract_conference_id_number")),
        sa.UniqueConstraint("conference_id", "party_id", "sector_id", name=op.f("uq_contract_conference_id_party_id_sector_id")),
    )
    op.create_index(op.f("ix_contract_conference_id"), "contract", ["conference_id"])
    op.create_index(op.f("ix_contract_party_id"), "contract", ["party_id"])
    op.create_index(op.f("ix_contract_sha256"), "contract", ["sha256"])
    op.create_table(
        "contract_milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(16, 2), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], name=op.f("fk_contract_milestone_contract_id_contract")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_milestone")),
        sa.UniqueConstraint("contract_id", "position", name=op.f("uq_contract_milestone_contract_id_position")),
    )
    op.create_index(op.f("ix_contract_milestone_contract_id"), "contract_milestone", ["contract_id"])
    op.create_table(
        "contract_signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("signed_dt", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('territory', 'region', 'state')", name=op.f("ck_contract_signature_role")),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], name=op.f("fk_contract_signature_contract_id_contract")),
        sa.ForeignKeyConstraint(["party_id"], ["party.id"], name=op.f("fk_contract_signature_party_id_party")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_contract_signature_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_signature")),
        sa.UniqueConstraint("contract_id", "party_id", name=op.f("uq_contract_signature_contract_id_party_id")),
    )
    op.create_index(op.f("ix_contract_signature_contract_id"), "contract_signature", ["contract_id"])
    op.create_index(op.f("ix_contract_signature_party_id"), "contract_signature", ["party_id"])
    op.create_table(
        "contract_signature_act",
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
        sa.CheckConstraint("kind IN ('deliberation', 'delegation')", name=op.f("ck_contract_signature_act_kind")),
        sa.ForeignKeyConstraint(["signature_id"], ["contract_signature.id"],
                                name=op.f("fk_contract_signature_act_signature_id_contract_signature")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_signature_act")),
        sa.UniqueConstraint("signature_id", name=op.f("uq_contract_signature_act_signature_id")),
    )
    op.create_table(
        "contract_disbursement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(16, 2), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_dt", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_contract_disbursement_amount_positive")),
        sa.ForeignKeyConstraint(["milestone_id"], ["contract_milestone.id"],
                                name=op.f("fk_contract_disbursement_milestone_id_contract_milestone")),
        sa.ForeignKeyConstraint(["party_id"], ["party.id"], name=op.f("fk_contract_disbursement_party_id_party")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user_account.id"],
                                name=op.f("fk_contract_disbursement_recorded_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_disbursement")),
    )
    op.create_index(op.f("ix_contract_disbursement_milestone_id"), "contract_disbursement", ["milestone_id"])


def downgrade():
    op.drop_table("contract_disbursement")
    op.drop_table("contract_signature_act")
    op.drop_table("contract_signature")
    op.drop_table("contract_milestone")
    op.drop_table("contract")
