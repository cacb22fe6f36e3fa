"""The project registry: projects pledged by several parties with shares, sealed until announced.

Revision ID: j14a_projects
Revises: j13_mail_preferences
"""
import sqlalchemy as sa
from alembic import op

revision = "j14a_projects"
down_revision = "j13_mail_preferences"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("sector_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("siret", sa.String(length=14), nullable=True),
        sa.Column("commune_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("is_sealed", sa.Boolean(), nullable=False),
        sa.Column("seal_reason", sa.Text(), nullable=False),
        sa.Column("announce_on", sa.Date(), nullable=True),
        sa.Column("seal_salt", sa.String(length=64), nullable=True),
        sa.Column("seal_digest", sa.String(length=64), nullable=True),
        sa.Column("warned_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revealed_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revealed_by_id", sa.Integer(), nullable=True),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["commune_id"], ["commune.id"], name=op.f("fk_project_commune_id_commune")),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"], name=op.f("fk_project_conference_id_conference")),
        sa.ForeignKeyConstraint(["party_id"], ["party.id"], name=op.f("fk_project_party_id_party")),
        sa.ForeignKeyConstraint(["revealed_by_id"], ["user_account.id"],
                                name=op.f("fk_project_revealed_by_id_user_account")),
        sa.ForeignKeyConstraint(["sector_id"], ["sector.id"], name=op.f("fk_project_sector_id_sector")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project")),
        sa.UniqueConstraint("conference_id", "number", name=op.f("uq_project_conference_id_number")),
    )
    for column in ("commune_id", "conference_id", "party_id", "sector_id", "siret"):
        op.create_index(op.f(f"ix_project_{column}"), "project", [column])
    with op.batch_alter_table("pledge") as batch:
        batch.add_column(sa.Column("project_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("project_share", sa.Numeric(5, 2), server_default="100", nullable=False))
        batch.create_index(batch.f("ix_pledge_project_id"), ["project_id"])
        batch.create_foreign_key(batch.f("fk_pledge_project_id_project"), "project", ["project_id"], ["id"])
    with op.batch_alter_table("conference") as batch:
        batch.add_column(sa.Column("sealed_readers", sa.String(length=24), server_default="managers",
                                   nullable=False))
        batch.create_check_constraint(
            op.f("ck_conference_sealed_readers"), "sealed_readers IN ('presidency', 'managers', 'managers_and_state')")


def downgrade():
    with op.batch_alter_table("conference") as batch:
        batch.drop_constraint(op.f("ck_conference_sealed_readers"), type_="check")
        batch.drop_column("sealed_readers")
    with op.batch_alter_table("pledge") as batch:
        batch.drop_constraint("fk_pledge_project_id_project", type_="foreignkey")
        batch.drop_index("ix_pledge_project_id")
        batch.drop_column("project_share")
        batch.drop_column("project_id")
    for column in ("commune_id", "conference_id", "party_id", "sector_id", "siret"):
        op.drop_index(op.f(f"ix_project_{column}"), table_name="project")
    op.drop_table("project")
