"""The rulebook: check constraints on phases, roles, accreditations and meeting states; the yearly review session

Revision ID: i10a_rulebook
Revises: edecfba8f70d
"""
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


def downgrade():
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for column in checks:
                batch.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
