"""orders: split purchase flags (疑似拆分采购) and the checkouts of each

Revision ID: c100207628ee
Revises: 6a1c2e9d4b70
Create Date: 2026-12-01 01:56:44.953648

"""
from alembic import op
import sqlalchemy as sa

import mall.extensions


# revision identifiers, used by Alembic.
revision = 'c100207628ee'
down_revision = '6a1c2e9d4b70'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('split_purchase_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('placed_on', sa.Date(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum('canteen', 'union', 'personal', name='purpose', native_enum=False, length=24), nullable=False),
    sa.Column('total_fen', sa.BigInteger(), nullable=False),
    sa.Column('threshold_fen', sa.BigInteger(), nullable=False),
    sa.Column('flagged_at', mall.extensions.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', mall.extensions.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_split_purchase_flags_supplier_id_suppliers')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_split_purchase_flags_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_split_purchase_flags')),
    sa.UniqueConstraint('unit_id', 'placed_on', 'supplier_id', 'purpose', name=op.f('uq_split_purchase_flags_unit_id'))
    )
    op.create_table('split_purchase_flag_checkouts',
    sa.Column('flag_id', sa.Integer(), nullable=False),
    sa.Column('checkout_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['checkout_id'], ['checkouts.id'], name=op.f('fk_split_purchase_flag_checkouts_checkout_id_checkouts')),
    sa.ForeignKeyConstraint(['flag_id'], ['split_purchase_flags.id'], name=op.f('fk_split_purchase_flag_checkouts_flag_id_split_purchase_flags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('flag_id', 'checkout_id', name=op.f('pk_split_purchase_flag_checkouts'))
    )
    with op.batch_alter_table('split_purchase_flag_checkouts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_split_purchase_flag_checkouts_checkout_id'), ['checkout_id'], unique=False)


def downgrade():
    with op.batch_alter_table('split_purchase_flag_checkouts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_split_purchase_flag_checkouts_checkout_id'))
    op.drop_table('split_purchase_flag_checkouts')
    op.drop_table('split_purchase_flags')
