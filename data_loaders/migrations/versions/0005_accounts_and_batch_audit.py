"""accounts, and the counts and roll-back link of an import batch

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 04:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('themes', sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('disabled', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('failed_logins', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("role IN ('viewer', 'partner', 'staff', 'admin')", name='ck_account_role'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    # Plain ADD COLUMN, not batch mode (see 0003): SQLite then keeps the table and its references.
    op.add_column('import_batch', sa.Column('counts', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))
    op.add_column('import_batch', sa.Column('reverts_batch_id', sa.Integer(), nullable=True))
    # The reference is declared where ALTER can add it: SQLite can neither add one to a table nor drop a
    # column that has one, and re-creating import_batch fails while observations point at it.
    if op.get_bind().dialect.name != 'sqlite':
        op.create_foreign_key('fk_import_batch_reverts', 'import_batch', 'import_batch', ['reverts_batch_id'], ['id'])


def downgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint('fk_import_batch_reverts', 'import_batch', type_='foreignkey')
    for column in ('reverts_batch_id', 'counts'):  # plain DROP COLUMN (SQLite 3.35+), not batch mode
        op.execute(f'ALTER TABLE import_batch DROP COLUMN {column}')
    op.drop_table('account')
