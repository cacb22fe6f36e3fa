"""The synthesis's sums kept with the data: table filing_sum, filled from the lines

A COP's public page built with every cache empty summed the lines of the latest accepted version of each of its
commitments (820 commitments and 2,460 lines in the national data set): 6–7 ms of its 34 ms. The sums per COP,
filière and indicator are now kept in filing_sum, recomputed in the transaction of each write that changes them
(`cop.commitments.filing_sums`); here they are computed once for the data already there.

Revision ID: k18_filing_sums
Revises: k17_sums_cover
"""
import sqlalchemy as sa
from alembic import op

revision = "k18_filing_sums"
down_revision = "k17_sums_cover"
branch_labels = None
depends_on = None

#: The sums of `cop.commitments.counted.sums_query` over its basis, for every COP.
FILL = """
INSERT INTO filing_sum (conference_id, sector_id, indicator_id, unconditional_share, conditional_share, lines,
                        unconditional_whole)
SELECT commitment.conference_id, commitment.sector_id, pledge.indicator_id,
       SUM(pledge.unconditional_value * pledge.project_share), SUM(pledge.conditional_value * pledge.project_share),
       COUNT(*), SUM(pledge.unconditional_value)
FROM pledge
JOIN commitment_version ON commitment_version.id = pledge.version_id
JOIN commitment ON commitment.id = commitment_version.commitment_id
WHERE commitment.status <> 'withdrawn' AND commitment_version.status = 'accepted'
  AND commitment_version.number = (SELECT MAX(later.number) FROM commitment_version AS later
                                   WHERE later.commitment_id = commitment.id AND later.status = 'accepted')
GROUP BY commitment.conference_id, commitment.sector_id, pledge.indicator_id
"""


def upgrade():
    op.create_table(
        "filing_sum",
        sa.Column("conference_id", sa.Integer(), sa.ForeignKey("conference.id", ondelete="CASCADE"), nullable=False),
        sa.Column("sector_id", sa.Integer(), sa.ForeignKey("sector.id"), nullable=False),
        sa.Column("indicator_id", sa.Integer(), sa.ForeignKey("indicator.id"), nullable=False),
        sa.Column("unconditional_share", sa.Numeric(26, 4), nullable=False),
        sa.Column("conditional_share", sa.Numeric(26, 4), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("unconditional_whole", sa.Numeric(24, 2), nullable=False),
        sa.PrimaryKeyConstraint("conference_id", "sector_id", "indicator_id"),
    )
    op.execute(FILL)


def downgrade():
    op.drop_table("filing_sum")
