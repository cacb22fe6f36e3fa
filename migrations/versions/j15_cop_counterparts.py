"""Indicative fair shares of the regional targets: the sharing method per COP (versioned) and its figures.

Revision ID: j15_cop_counterparts
Revises: i16_request_id
"""
import sqlalchemy as sa
from alembic import op

revision = "j15_cop_counterparts"
down_revision = "i16_request_id"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "fair_share_basis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("source_name", sa.String(length=200), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("method IN ('population', 'figures')", name=op.f("ck_fair_share_basis_method")),
        sa.ForeignKeyConstraint(["author_id"], ["user_account.id"],
                                name=op.f("fk_fair_share_basis_author_id_user_account")),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"],
                                name=op.f("fk_fair_share_basis_conference_id_conference")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fair_share_basis")),
        sa.UniqueConstraint("conference_id", "number", name=op.f("uq_fair_share_basis_conference_id_number")),
    )
    op.create_index(op.f("ix_fair_share_basis_conference_id"), "fair_share_basis", ["conference_id"])
    op.create_table(
        "fair_share_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("basis_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("weight", sa.Numeric(precision=9, scale=2), nullable=False),
        sa.ForeignKeyConstraint(["basis_id"], ["fair_share_basis.id"], ondelete="CASCADE",
                                name=op.f("fk_fair_share_criterion_basis_id_fair_share_basis")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fair_share_criterion")),
        sa.UniqueConstraint("basis_id", "name", name=op.f("uq_fair_share_criterion_basis_id_name")),
    )
    op.create_index(op.f("ix_fair_share_criterion_basis_id"), "fair_share_criterion", ["basis_id"])
    op.create_table(
        "fair_share_figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.ForeignKeyConstraint(["criterion_id"], ["fair_share_criterion.id"], ondelete="CASCADE",
                                name=op.f("fk_fair_share_figure_criterion_id_fair_share_criterion")),
        sa.ForeignKeyConstraint(["territory_id"], ["territory.id"],
                                name=op.f("fk_fair_share_figure_territory_id_territory")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fair_share_figure")),
        sa.UniqueConstraint("criterion_id", "territory_id",
                            name=op.f("uq_fair_share_figure_criterion_id_territory_id")),
    )
    op.create_index(op.f("ix_fair_share_figure_criterion_id"), "fair_share_figure", ["criterion_id"])


def downgrade():
    op.drop_table("fair_share_figure")
    op.drop_table("fair_share_criterion")
    op.drop_table("fair_share_basis")
