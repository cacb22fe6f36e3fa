"""Funders of a COP, their budgets per programme and year, and their answers to the support requests.

Revision ID: j15_funding
Revises: j10_states_live_sockets
"""
import sqlalchemy as sa
from alembic import op

revision = "j15_funding"
down_revision = "j10_states_live_sockets"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "funder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("answer_days", sa.Integer(), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"], name=op.f("fk_funder_conference_id_conference")),
        sa.ForeignKeyConstraint(["party_id"], ["party.id"], name=op.f("fk_funder_party_id_party")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funder")),
        sa.UniqueConstraint("conference_id", "code", name=op.f("uq_funder_conference_id_code")),
        sa.UniqueConstraint("conference_id", "party_id", name=op.f("uq_funder_conference_id_party_id")),
    )
    op.create_index(op.f("ix_funder_conference_id"), "funder", ["conference_id"])
    op.create_table(
        "funder_budget",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("funder_id", sa.Integer(), nullable=False),
        sa.Column("programme", sa.String(length=120), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.ForeignKeyConstraint(["funder_id"], ["funder.id"], name=op.f("fk_funder_budget_funder_id_funder")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funder_budget")),
        sa.UniqueConstraint("funder_id", "programme", "year", name=op.f("uq_funder_budget_funder_id_programme_year")),
    )
    op.create_index(op.f("ix_funder_budget_funder_id"), "funder_budget", ["funder_id"])
    op.create_table(
        "support_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("support_request_id", sa.Integer(), nullable=False),
        sa.Column("funder_id", sa.Integer(), nullable=False),
        sa.Column("budget_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("amount", sa.Numeric(precision=16, scale=2), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('granted', 'partly_granted', 'refused', 'under_instruction')",
                           name=op.f("ck_support_answer_status")),
        sa.ForeignKeyConstraint(["answered_by_id"], ["user_account.id"],
                                name=op.f("fk_support_answer_answered_by_id_user_account")),
        sa.ForeignKeyConstraint(["budget_id"], ["funder_budget.id"],
                                name=op.f("fk_support_answer_budget_id_funder_budget")),
        sa.ForeignKeyConstraint(["funder_id"], ["funder.id"], name=op.f("fk_support_answer_funder_id_funder")),
        sa.ForeignKeyConstraint(["support_request_id"], ["support_request.id"],
                                name=op.f("fk_support_answer_support_request_id_support_request")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_answer")),
    )
    op.create_index(op.f("ix_support_answer_support_request_id"), "support_answer", ["support_request_id"])
    op.create_index(op.f("ix_support_answer_funder_id"), "support_answer", ["funder_id"])
    op.create_index(op.f("ix_support_answer_budget_id"), "support_answer", ["budget_id"])


def downgrade():
    op.drop_table("support_answer")
    op.drop_table("funder_budget")
    op.drop_table("funder")
