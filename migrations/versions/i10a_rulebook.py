"""The rulebook: check constraints on phases, roles, accreditations and meeting states; the yearly review session;
the rules of procedure's versions and the consensus quorum

Revision ID: i10a_rulebook
Revises: edecfba8f70d
"""
import sqlalchemy as sa
from alembic import op

revision = "i10a_rulebook"
down_revision = "edecfba8f70d"
branch_labels = None
depends_on = None

PHASES = ("preparation", "call_for_commitments", "negotiation", "adoption", "implementation", "closed")
CHECKS = {
    "conference": {"phase": PHASES},
    "party": {"accreditation": ("invited", "accredited", "suspended")},
    "membership": {"role": ("presidency", "secretariat", "head_of_delegation", "delegate", "observer")},
    "meeting": {"kind": ("plenary", "contact_group", "informal", "review"),
                "state": ("scheduled", "open", "suspended", "closed")},
    "agenda_item": {"state": ("pending", "open", "done")},
}


def _in(column: str, allowed: tuple) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in allowed)})"


def upgrade():
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for column, allowed in checks.items():
                batch.create_check_constraint(op.f(f"ck_{table}_{column}"), _in(column, allowed))
    with op.batch_alter_table("conference") as batch:
        batch.add_column(sa.Column("consensus_quorum", sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table("conference") as batch:
        batch.alter_column("consensus_quorum", server_default=None)
    op.create_table(
        "rules_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("proposed_by_id", sa.Integer(), nullable=False),
        sa.Column("proposed_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("in_force_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("phase", sa.String(length=32), nullable=False),
        sa.CheckConstraint(_in("state", ("proposed", "in_force", "superseded", "withdrawn")),
                           name=op.f("ck_rules_version_state")),
        sa.ForeignKeyConstraint(["agenda_item_id"], ["agenda_item.id"],
                                name=op.f("fk_rules_version_agenda_item_id_agenda_item")),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"],
                                name=op.f("fk_rules_version_conference_id_conference")),
        sa.ForeignKeyConstraint(["decision_id"], ["decision.id"], name=op.f("fk_rules_version_decision_id_decision")),
        sa.ForeignKeyConstraint(["proposed_by_id"], ["user_account.id"],
                                name=op.f("fk_rules_version_proposed_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rules_version")),
        sa.UniqueConstraint("conference_id", "number", name=op.f("uq_rules_version_conference_id_number")),
    )
    op.create_index(op.f("ix_rules_version_agenda_item_id"), "rules_version", ["agenda_item_id"])
    op.create_index(op.f("ix_rules_version_conference_id"), "rules_version", ["conference_id"])


def downgrade():
    op.drop_index(op.f("ix_rules_version_conference_id"), table_name="rules_version")
    op.drop_index(op.f("ix_rules_version_agenda_item_id"), table_name="rules_version")
    op.drop_table("rules_version")
    with op.batch_alter_table("conference") as batch:
        batch.drop_column("consensus_quorum")
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for column in checks:
                batch.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
