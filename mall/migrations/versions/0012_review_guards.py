"""catalog review: reviewed price and revision of listings, photos waiting for review, the
database rate limit, and the supplier role only for approved suppliers

Revision ID: 6a1c2e9d4b70
Revises: a0011f0f1111
Create Date: 2026-12-01 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import mall.extensions


# revision identifiers, used by Alembic.
revision = '6a1c2e9d4b70'
down_revision = 'a0011f0f1111'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviewed_price_fen', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('revision', sa.Integer(), nullable=False, server_default='0'))
    # Listings on sale were reviewed at their current price: drift is measured from it from now on.
    op.execute("UPDATE products SET reviewed_price_fen = price_fen WHERE status IN ('approved', 'delisted')")

    with op.batch_alter_table('product_photos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_product_photos_change_id'), ['change_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_product_photos_change_id_listing_changes'), 'listing_changes', ['change_id'], ['id']
        )

    op.create_table('rate_limit_hits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bucket', sa.String(length=40), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('at', mall.extensions.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_limit_hits'))
    )
    with op.batch_alter_table('rate_limit_hits', schema=None) as batch_op:
        batch_op.create_index('ix_rate_limit_hits_bucket_key_at', ['bucket', 'key', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_rate_limit_hits_at'), ['at'], unique=False)

    # Applicants got the supplier role before any approval: it now comes with the approval.
    op.execute(
        "DELETE FROM user_roles WHERE role = 'supplier' AND user_id IN ("
        " SELECT supplier_members.user_id FROM supplier_members"
        " JOIN suppliers ON suppliers.id = supplier_members.supplier_id"
        " WHERE suppliers.status IN ('applied', 'recommended', 'declined'))"
    )


def downgrade():
    with op.batch_alter_table('rate_limit_hits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_limit_hits_at'))
        batch_op.drop_index('ix_rate_limit_hits_bucket_key_at')
    op.drop_table('rate_limit_hits')

    with op.batch_alter_table('product_photos', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_product_photos_change_id_listing_changes'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_product_photos_change_id'))
        batch_op.drop_column('change_id')

    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('revision')
        batch_op.drop_column('reviewed_price_fen')
