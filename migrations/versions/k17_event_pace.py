"""The pace check's index: an account's events in a meeting, by time

Every live command counts its account's events of the last minute in the meeting (COP_ACCOUNT_COMMANDS_PER_MINUTE),
under the meeting's lock. Without this index PostgreSQL scanned the whole journal: 3.1–3.5 ms of server time a
command at 20,000 events, growing with the journal; 0.25–0.28 ms with it.

Revision ID: k17_event_pace
Revises: j16_contracts
"""
from alembic import op

revision = "k17_event_pace"
down_revision = "j16_contracts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_meeting_event_pace", "meeting_event", ["meeting_id", "actor_id", "created_dt"])


def downgrade():
    op.drop_index("ix_meeting_event_pace", table_name="meeting_event")
