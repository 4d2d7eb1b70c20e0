"""observation rollup

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 00:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('observation_rollup',
    sa.Column('indicator_code', sa.String(length=32), nullable=False),
    sa.Column('breakdown', sa.String(length=32), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('geo_code', sa.String(length=16), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('population', sa.Float(), nullable=True),
    sa.Column('reported', sa.Integer(), nullable=True),
    sa.Column('expected', sa.Integer(), nullable=True),
    sa.Column('reported_population', sa.Float(), nullable=True),
    sa.Column('expected_population', sa.Float(), nullable=True),
    sa.Column('share', sa.Float(), nullable=True),
    sa.CheckConstraint("level IN ('unit', 'region', 'country')", name='ck_rollup_level'),
    sa.PrimaryKeyConstraint('indicator_code', 'breakdown', 'level', 'geo_code', 'period')
    )
    op.create_index('ix_rollup_period', 'observation_rollup', ['indicator_code', 'breakdown', 'level', 'period'])
    op.create_index('ix_observation_source', 'observation', ['indicator_code', 'source_code', 'is_current'])
    # The observations already loaded: the rollup of this revision's schema, in this transaction.
    from data_loaders.rollup import rebuild

    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_index('ix_observation_source', table_name='observation')
    op.drop_index('ix_rollup_period', table_name='observation_rollup')
    op.drop_table('observation_rollup')
