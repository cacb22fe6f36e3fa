"""The adopted roadmap's PDF, stored once with its SHA-256

Revision ID: i12a_roadmap_document
Revises: edecfba8f70d
"""
from alembic import op
import sqlalchemy as sa

revision = "i12a_roadmap_document"
down_revision = "edecfba8f70d"
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


def downgrade():
    op.drop_table("roadmap_document")
