"""catalog_generation: the storefront counts' generation, bumped by triggers

A product put on or taken off sale, moved or added, a county's key-county flag or a category's
name bumps it in the same transaction; storefront counts are kept per process under it.

Revision ID: 3c5e9a1f7d20
Revises: 5a0c7e2d9b14
Create Date: 2026-12-01 06:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

from catalog import generation


# revision identifiers, used by Alembic.
revision = '3c5e9a1f7d20'
down_revision = '5a0c7e2d9b14'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'catalog_generation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_generation')),
    )
    generation.create_triggers(op.get_bind())


def downgrade():
    generation.drop_triggers(op.get_bind())
    op.drop_table('catalog_generation')
