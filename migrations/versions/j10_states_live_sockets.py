"""The rulebook's commitment and progress report states as check constraints; the live processes and their sockets,
shared so that the socket caps hold across live processes

Revision ID: j10_states_live_sockets
Revises: j15_sites
"""
import sqlalchemy as sa
from alembic import op

revision = "j10_states_live_sockets"
down_revision = "j15_sites"
branch_labels = None
depends_on = None

COMMITMENT = ("draft", "submitted", "accepted", "returned", "withdrawn")
CHECKS = {"commitment": ("status", COMMITMENT), "commitment_version": ("status", COMMITMENT),
          "progress_report": ("state", ("submitted", "accepted", "questioned"))}


def _in(column: str, allowed: tuple) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in allowed)})"


def upgrade():
    for table, (column, allowed) in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            batch.create_check_constraint(op.f(f"ck_{table}_{column}"), _in(column, allowed))
    op.create_table(
        "live_process",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("started_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_dt", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_process")),
    )
    op.create_table(
        "live_socket",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("process_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("opened_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["process_id"], ["live_process.id"], name=op.f("fk_live_socket_process_id_live_process"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_socket")),
    )
    op.create_index(op.f("ix_live_socket_address"), "live_socket", ["address"])
    op.create_index(op.f("ix_live_socket_process_id"), "live_socket", ["process_id"])
    op.create_index(op.f("ix_live_socket_user_id"), "live_socket", ["user_id"])


def downgrade():
    op.drop_index(op.f("ix_live_socket_user_id"), table_name="live_socket")
    op.drop_index(op.f("ix_live_socket_process_id"), table_name="live_socket")
    op.drop_index(op.f("ix_live_socket_address"), table_name="live_socket")
    op.drop_table("live_socket")
    op.drop_table("live_process")
    for table, (column, _) in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
