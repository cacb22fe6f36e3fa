"""The adopted roadmap's PDF stored once with its SHA-256; a COP's identity (name, logo, colour, contact)

Revision ID: i12a_print_identity
Revises: i10a_rulebook
"""
from alembic import op
import sqlalchemy as sa

revision = "i12a_print_identity"
down_revision = "i10a_rulebook"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "roadmap_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rendered_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["roadmap_version.id"],
                                name=op.f("fk_roadmap_document_version_id_roadmap_version")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roadmap_document")),
        sa.UniqueConstraint("version_id", name=op.f("uq_roadmap_document_version_id")),
    )
    op.create_table(
        "conference_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("organisation", sa.String(length=160), nullable=False),
        sa.Column("colour", sa.String(length=7), nullable=False),
        sa.Column("contact", sa.String(length=300), nullable=False),
        sa.Column("logo_png", sa.LargeBinary(), nullable=True),
        sa.Column("logo_key", sa.String(length=16), nullable=False),
        sa.Column("logo_alt", sa.String(length=160), nullable=False),
        sa.Column("updated_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"],
                                name=op.f("fk_conference_identity_conference_id_conference")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conference_identity")),
        sa.UniqueConstraint("conference_id", name=op.f("uq_conference_identity_conference_id")),
    )


def downgrade():
    op.drop_table("conference_identity")
    op.drop_table("roadmap_document")
