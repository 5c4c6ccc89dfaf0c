"""users: session version; api_tokens: revoked_at

Sessions end on logout, password change and disabling (the cookie carries the version); a revoked
API token is kept, marked, until the purge job drops it.

Revision ID: 5a0c7e2d9b14
Revises: c100207628ee
Create Date: 2026-11-25 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import mall.extensions


# revision identifiers, used by Alembic.
revision = '5a0c7e2d9b14'
down_revision = 'c100207628ee'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='1'))

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', mall.extensions.UtcDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
