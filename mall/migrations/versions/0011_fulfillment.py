"""policy years; fulfillment: shipments, carrier events, per-order and per-line progress,
acceptance photos, evaluations, after-sales cases, payables, supplier standing and scorecards

policy_years: one row per year, one column per PolicyTerms field. The fulfillment tables refer to
orders and order lines without changing them; their CHECKs bound quantities, scores and money,
their unique constraints make retries safe, and each job's queue has an index that starts with
"not done yet" and ends with the due date.

Revision ID: a0011f0f1111
Revises: 2e86080bf3f8
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa

import mall.extensions


# revision identifiers, used by Alembic.
revision = 'a0011f0f1111'
down_revision = '2e86080bf3f8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('policy_years',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('reserve_ratio_bp', sa.Integer(), nullable=False),
    sa.Column('not_below_last_year', sa.Boolean(), nullable=False),
    sa.Column('filing_due', sa.Date(), nullable=False),
    sa.Column('review_due', sa.Date(), nullable=False),
    sa.Column('task_due', sa.Date(), nullable=False),
    sa.Column('union_per_member_fen', sa.BigInteger(), nullable=False),
    sa.Column('union_percent_bp', sa.Integer(), nullable=False),
    sa.Column('festival_cap_year_fen', sa.BigInteger(), nullable=False),
    sa.Column('festival_cap_spring_fen', sa.BigInteger(), nullable=False),
    sa.Column('festival_cap_mid_autumn_fen', sa.BigInteger(), nullable=False),
    sa.Column('festival_cap_other_fen', sa.BigInteger(), nullable=False),
    sa.Column('birthday_cap_fen', sa.BigInteger(), nullable=False),
    sa.Column('acceptance_days', sa.Integer(), nullable=False),
    sa.Column('evaluation_days', sa.Integer(), nullable=False),
    sa.Column('evaluation_edit_hours', sa.Integer(), nullable=False),
    sa.Column('default_evaluation_score', sa.Integer(), nullable=False),
    sa.Column('default_evaluation_weight_bp', sa.Integer(), nullable=False),
    sa.Column('aftersales_hours_fresh', sa.Integer(), nullable=False),
    sa.Column('aftersales_days_dry', sa.Integer(), nullable=False),
    sa.Column('supplier_answer_hours', sa.Integer(), nullable=False),
    sa.Column('payment_term_days', sa.Integer(), nullable=False),
    sa.Column('max_payment_term_days', sa.Integer(), nullable=False),
    sa.Column('late_interest_bp_per_day', sa.Integer(), nullable=False),
    sa.Column('score_months', sa.Integer(), nullable=False),
    sa.Column('score_min_orders', sa.Integer(), nullable=False),
    sa.Column('weight_quality_bp', sa.Integer(), nullable=False),
    sa.Column('weight_timeliness_bp', sa.Integer(), nullable=False),
    sa.Column('weight_service_bp', sa.Integer(), nullable=False),
    sa.Column('weight_price_bp', sa.Integer(), nullable=False),
    sa.Column('weight_on_time_bp', sa.Integer(), nullable=False),
    sa.Column('weight_rejection_bp', sa.Integer(), nullable=False),
    sa.Column('weight_aftersales_bp', sa.Integer(), nullable=False),
    sa.Column('weight_response_bp', sa.Integer(), nullable=False),
    sa.Column('rejection_zero_at_bp', sa.Integer(), nullable=False),
    sa.Column('aftersales_zero_at_bp', sa.Integer(), nullable=False),
    sa.Column('band_excellent_min', sa.Integer(), nullable=False),
    sa.Column('band_good_min', sa.Integer(), nullable=False),
    sa.Column('band_pass_min', sa.Integer(), nullable=False),
    sa.Column('band_warning_min', sa.Integer(), nullable=False),
    sa.Column('created_at', mall.extensions.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', mall.extensions.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('acceptance_days > 0 AND evaluation_days > 0 AND evaluation_edit_hours >= 0 AND aftersales_hours_fresh > 0 AND aftersales_days_dry > 0 AND supplier_answer_hours > 0', name=op.f('ck_policy_years_windows_positive')),
    sa.CheckConstraint('late_interest_bp_per_day >= 0', name=op.f('ck_policy_years_interest_not_negative')),
    sa.CheckConstraint('payment_term_days > 0 AND payment_term_days <= max_payment_term_days', name=op.f('ck_policy_years_term_in_range')),
    sa.CheckConstraint('reserve_ratio_bp > 0 AND reserve_ratio_bp <= 10000', name=op.f('ck_policy_years_reserve_ratio_in_range')),
    sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_policy_years_year_in_range')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_policy_years_updated_by_id_users')),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_policy_years'))
    )
    op.create_table('supplier_scorecards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('standing', sa.Enum('excellent', 'good', 'pass', 'warning', 'suspended', 'insufficient', name='standing', native_enum=False, length=24), nullable=False),
    sa.Column('orders', sa.Integer(), nullable=False),
    sa.Column('evaluations', sa.Integer(), nullable=False),
    sa.Column('default_evaluations', sa.Integer(), nullable=False),
    sa.Column('quality_x100', sa.Integer(), nullable=True),
    sa.Column('timeliness_x100', sa.Integer(), nullable=True),
    sa.Column('service_x100', sa.Integer(), nullable=True),
    sa.Column('price_x100', sa.Integer(), nullable=True),
    sa.Column('on_time_rate_bp', sa.Integer(), nullable=True),
    sa.Column('rejection_rate_bp', sa.Integer(), nullable=True),
    sa.Column('aftersales_rate_bp', sa.Integer(), nullable=True),
    sa.Column('median_response_minutes', sa.Integer(), nullable=True),
    sa.Column('computed_at', mall.extensions.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('orders >= 0 AND evaluations >= 0 AND default_evaluations >= 0', name=op.f('ck_supplier_scorecards_counts_not_negative')),
    sa.CheckConstraint('score BETWEEN 0 AND 100', name=op.f('ck_supplier_scorecards_score_0_to_100')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_scorecards_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_scorecards')),
    sa.UniqueConstraint('supplier_id', 'month', name=op.f('uq_supplier_scorecards_supplier_id'))
    )
    op.create_table('supplier_standings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('standing', sa.Enum('excellent', 'good', 'pass', 'warning', 'suspended', 'insufficient', name='standing', native_enum=False, length=24), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('at', mall.extensions.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('score BETWEEN 0 AND 100', name=op.f('ck_supplier_standings_score_0_to_100')),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_supplier_standings_set_by_id_users')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_standings_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_standings'))
    )
    with op.batch_alter_table('supplier_standings', schema=None) as batch_op:
        batch_op.create_index('ix_supplier_standings_supplier_at', ['supplier_id', 'at'], unique=False)

    op.create_table('evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('quality', sa.Integer(), nullable=False),
    sa.Column('timeliness', sa.Integer(), nullable=False),
    sa.Column('service', sa.Integer(), nullable=False),
    sa.Column('price', sa.Integer(), nullable=False),
    sa.Column('comment', sa.String(length=500), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', mall.extensions.UtcDateTime(timezone=True), nullable=False),
    sa.Column('editable_until', mall.extensions.UtcDateTime(timezone=True), nullable=False),
    sa.Column('supplier_reply', sa.String(length=500), nullable=False),
    sa.Column('replied_by_id', sa.Integer(), nullable=True),
    sa.Column('replied_at', mall.extensions.UtcDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('quality BETWEEN 1 AND 5 AND timeliness BETWEEN 1 AND 5 AND service BETWEEN 1 AND 5 AND price BETWEEN 1 AND 5', name=op.f('ck_evaluations_scores_1_to_5')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_evaluations_order_id_orders')),
    sa.ForeignKeyConstraint(['replied_by_id'], ['users.id'], name=op.f('fk_evaluations_replied_by_id_users')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_evaluations_submitted_by_id_users')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_evaluations_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluations')),
    sa.UniqueConstraint('order_id', name=op.f('uq_evaluations_order_id'))
    )
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.create_index('ix_evaluations_supplier_submitted', ['supplier_id', 'submitted_at'], unique=False)

    op.create_table('order_fulfillments',
    sa.Column('order_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('delivered_at', mall.extensions.UtcDateTime(timezone=True), nullable=True),
    sa.Column('acceptance_due_on', sa.Date(), nullable=True),
    sa.Column('accepted_at', mall.extensions.UtcDateTime(timezone=True), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('auto_accepted', sa.Boolean(), nullable=False),
    sa.Column('rejected_fen', sa.BigInteger(), nullable=False),
    sa.Column('refund_fen', sa.BigInteger(), nullable=False),
    sa.Column('evaluation_due_on', sa.Date(), nullable=True),
    sa.Column('evaluated_at', mall.extensions.UtcDateTime(timezone=True), nullable=True),
    sa.Column('aftersales_closes_at', mall.extensions.UtcDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', mall.extensions.UtcDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('rejected_fen >= 0 AND refund_fen >= 0 AND refund_fen <= rejected_fen', name=op.f('ck_order_fulfillments_money_in_range')),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_order_fulfillments_accepted_by_id_users')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_fulfillments_order_id_orders')),
    sa.PrimaryKeyConstraint('order_id', name=op.f('pk_order_fulfillments'))
    )
    with op.batch_alter_table('order_fulfillments', schema=None) as batch_op:
        batch_op.create_index('ix_order_fulfillments_acceptance_queue', ['accepted_at', 'acceptance_due_on'], unique=False)
        batch_op.create_index('ix_order_fulfillments_closing_queue', ['closed_at', 'aftersales_closes_at'], unique=False)
        batch_op.create_index('ix_order_fulfillments_evaluation_queue', ['evaluated_at', 'evaluation_due_on'], unique=False)

    op.create_table('payables',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('paid_fen', sa.BigInteger(), nullable=False),
    sa.Column('disputed_fen', sa.BigInteger(), nullable=False),
    sa.Column('term_days', sa.Integer(), nullable=False),
    sa.Column('interest_bp_per_day', sa.Integer(), nullable=True),
    sa.Column('accepted_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('due', 'held', 'paid', name='payablestatus', native_enum=False, length=24), nullable=False),
    sa.Column('interest_paid_fen', sa.BigInteger(), nullable=False),
    sa.Column('paid_by_id', sa.Integer(), nullable=True),
    sa.Column('paid_at', mall.extensions.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_at', mall.extensions.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_fen >= 0', name=op.f('ck_payables_amount_not_negative')),
    sa.CheckConstraint('disputed_fen >= 0 AND disputed_fen <= amount_fen - paid_fen', name=op.f('ck_payables_disputed_within_unpaid')),
    sa.CheckConstraint('interest_bp_per_day >= 0 AND interest_paid_fen >= 0', name=op.f('ck_payables_interest_not_negative')),
    sa.CheckConstraint('paid_fen >= 0 AND paid_fen <= amount_fen', name=op.f('ck_payables_paid_within_amount')),
    sa.CheckConstraint('term_days > 0', name=op.f('ck_payables_term_positive')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_payables_order_id_orders')),
    sa.ForeignKeyConstraint(['paid_by_id'], ['users.id'], name=op.f('fk_payables_paid_by_id_users')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_payables_supplier_id_suppliers')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_payables_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payables')),
    sa.UniqueConstraint('order_id', name=op.f('uq_payables_order_id'))
    )
    with op.batch_alter_table('payables', schema=None) as batch_op:
        batch_op.create_index('ix_payables_status_due', ['status', 'due_on'], unique=False)
        batch_op.create_index('ix_payables_supplier_status', ['supplier_id', 'status'], unique=False)
        batch_op.create_index('ix_payables_unit_status', ['unit_id', 'status'], unique=False)

    op.create_table('shipments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('carrier_code', sa.String(length=20), nullable=False),
    sa.Column('tracking_no', sa.String(length=40), nullable=False),
    sa.Column('status', sa.Enum('created', 'picked_up', 'in_transit', 'out_for_delivery', 'delivered', 'exception', name='shipmentstatus', native_enum=False, length=24), nullable=False),
    sa.Column('shipped_at', mall.extensions.UtcDateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', mall.extensions.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_shipments_created_by_id_users')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_shipments_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipments')),
    sa.UniqueConstraint('carrier_code', 'tracking_no', name=op.f('uq_shipments_carrier_code'))
    )
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shipments_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shipments_status'), ['status'], unique=False)

    op.create_table('aftersales_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('refund', 'return', 'replace', name='aftersaleskind', native_enum=False, length=24), nullable=False),
    sa.Column('status', sa.Enum('open', 'agreed', 'refused', 'escalated', 'decided', 'closed', 'withdrawn', name='aftersalesstatus', native_enum=False, length=24), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', mall.extensions.UtcDateTime(timezone=True), nullable=False),
    sa.Column('answer_due_at', mall.extensions.UtcDateTime(timezone=True), nullable=False),
    sa.Column('answer', sa.String(length=500), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', mall.extensions.UtcDateTime(timezone=True), nullable=True),
    sa.Column('escalated_by_id', sa.Integer(), nullable=True),
    sa.Column('escalated_at', mall.extensions.UtcDateTime(timezone=True), nullable=True),
    sa.Column('ruling', sa.Enum('for_buyer', 'for_supplier', name='ruling', native_enum=False, length=24), nullable=True),
    sa.Column('ruling_note', sa.String(length=500), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', mall.extensions.UtcDateTime(timezone=True), nullable=True),
    sa.Column('refund_fen', sa.BigInteger(), nullable=False),
    sa.Column('refund_status', sa.Enum('pending', 'succeeded', 'failed', 'settled_by_hand', name='caserefundstatus', native_enum=False, length=24), nullable=True),
    sa.Column('refund_attempts', sa.Integer(), nullable=False),
    sa.Column('refund_retry_at', mall.extensions.UtcDateTime(timezone=True), nullable=True),
    sa.Column('refund_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', mall.extensions.UtcDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('refund_fen >= 0 AND refund_attempts >= 0', name=op.f('ck_aftersales_cases_refund_in_range')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_aftersales_cases_answered_by_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_aftersales_cases_decided_by_id_users')),
    sa.ForeignKeyConstraint(['escalated_by_id'], ['users.id'], name=op.f('fk_aftersales_cases_escalated_by_id_users')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_aftersales_cases_opened_by_id_users')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_aftersales_cases_order_id_orders')),
    sa.ForeignKeyConstraint(['refund_id'], ['refunds.id'], name=op.f('fk_aftersales_cases_refund_id_refunds')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_aftersales_cases_supplier_id_suppliers')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_aftersales_cases_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftersales_cases'))
    )
    with op.batch_alter_table('aftersales_cases', schema=None) as batch_op:
        batch_op.create_index('ix_aftersales_cases_answer_queue', ['status', 'answer_due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_aftersales_cases_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_aftersales_cases_refund_queue', ['refund_status', 'refund_retry_at'], unique=False)
        batch_op.create_index('ix_aftersales_cases_supplier_status', ['supplier_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_aftersales_cases_unit_id'), ['unit_id'], unique=False)

    op.create_table('carrier_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('carrier_code', sa.String(length=20), nullable=False),
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('code', sa.Enum('picked_up', 'in_transit', 'out_for_delivery', 'delivered', 'exception', name='carriereventcode', native_enum=False, length=24), nullable=False),
    sa.Column('city', sa.String(length=40), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('event_at', mall.extensions.UtcDateTime(timezone=True), nullable=False),
    sa.Column('received_at', mall.extensions.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_carrier_events_shipment_id_shipments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carrier_events')),
    sa.UniqueConstraint('carrier_code', 'event_id', name=op.f('uq_carrier_events_carrier_code'))
    )
    with op.batch_alter_table('carrier_events', schema=None) as batch_op:
        batch_op.create_index('ix_carrier_events_shipment_at', ['shipment_id', 'event_at'], unique=False)

    op.create_table('line_fulfillments',
    sa.Column('order_line_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('ordered_qty', sa.Integer(), nullable=False),
    sa.Column('shipped_qty', sa.Integer(), nullable=False),
    sa.Column('accepted_qty', sa.Integer(), nullable=False),
    sa.Column('rejected_qty', sa.Integer(), nullable=False),
    sa.Column('rejected_fen', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.CheckConstraint('accepted_qty >= 0 AND rejected_qty >= 0 AND accepted_qty + rejected_qty <= shipped_qty', name=op.f('ck_line_fulfillments_verdict_within_shipped')),
    sa.CheckConstraint('ordered_qty > 0', name=op.f('ck_line_fulfillments_ordered_positive')),
    sa.CheckConstraint('rejected_fen >= 0', name=op.f('ck_line_fulfillments_rejected_fen_not_negative')),
    sa.CheckConstraint('shipped_qty >= 0 AND shipped_qty <= ordered_qty', name=op.f('ck_line_fulfillments_shipped_within_ordered')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_line_fulfillments_order_id_orders')),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], name=op.f('fk_line_fulfillments_order_line_id_order_lines')),
    sa.PrimaryKeyConstraint('order_line_id', name=op.f('pk_line_fulfillments'))
    )
    with op.batch_alter_table('line_fulfillments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_line_fulfillments_order_id'), ['order_id'], unique=False)

    op.create_table('shipment_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_shipment_lines_quantity_positive')),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], name=op.f('fk_shipment_lines_order_line_id_order_lines')),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_shipment_lines_shipment_id_shipments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipment_lines')),
    sa.UniqueConstraint('shipment_id', 'order_line_id', name=op.f('uq_shipment_lines_shipment_id'))
    )
    with op.batch_alter_table('shipment_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shipment_lines_order_line_id'), ['order_line_id'], unique=False)

    op.create_table('acceptance_photos',
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', mall.extensions.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_line_id'], ['line_fulfillments.order_line_id'], name=op.f('fk_acceptance_photos_order_line_id_line_fulfillments')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_acceptance_photos_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acceptance_photos'))
    )
    with op.batch_alter_table('acceptance_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_acceptance_photos_order_line_id'), ['order_line_id'], unique=False)

    op.create_table('aftersales_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_aftersales_lines_quantity_positive')),
    sa.ForeignKeyConstraint(['case_id'], ['aftersales_cases.id'], name=op.f('fk_aftersales_lines_case_id_aftersales_cases')),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], name=op.f('fk_aftersales_lines_order_line_id_order_lines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftersales_lines')),
    sa.UniqueConstraint('case_id', 'order_line_id', name=op.f('uq_aftersales_lines_case_id'))
    )
    with op.batch_alter_table('aftersales_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aftersales_lines_order_line_id'), ['order_line_id'], unique=False)

    op.create_table('aftersales_photos',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', mall.extensions.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['aftersales_cases.id'], name=op.f('fk_aftersales_photos_case_id_aftersales_cases')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_aftersales_photos_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftersales_photos'))
    )
    with op.batch_alter_table('aftersales_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aftersales_photos_case_id'), ['case_id'], unique=False)



def downgrade():
    with op.batch_alter_table('aftersales_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aftersales_photos_case_id'))

    op.drop_table('aftersales_photos')
    with op.batch_alter_table('aftersales_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aftersales_lines_order_line_id'))

    op.drop_table('aftersales_lines')
    with op.batch_alter_table('acceptance_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_acceptance_photos_order_line_id'))

    op.drop_table('acceptance_photos')
    with op.batch_alter_table('shipment_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shipment_lines_order_line_id'))

    op.drop_table('shipment_lines')
    with op.batch_alter_table('line_fulfillments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_line_fulfillments_order_id'))

    op.drop_table('line_fulfillments')
    with op.batch_alter_table('carrier_events', schema=None) as batch_op:
        batch_op.drop_index('ix_carrier_events_shipment_at')

    op.drop_table('carrier_events')
    with op.batch_alter_table('aftersales_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aftersales_cases_unit_id'))
        batch_op.drop_index('ix_aftersales_cases_supplier_status')
        batch_op.drop_index('ix_aftersales_cases_refund_queue')
        batch_op.drop_index(batch_op.f('ix_aftersales_cases_order_id'))
        batch_op.drop_index('ix_aftersales_cases_answer_queue')

    op.drop_table('aftersales_cases')
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shipments_status'))
        batch_op.drop_index(batch_op.f('ix_shipments_order_id'))

    op.drop_table('shipments')
    with op.batch_alter_table('payables', schema=None) as batch_op:
        batch_op.drop_index('ix_payables_unit_status')
        batch_op.drop_index('ix_payables_supplier_status')
        batch_op.drop_index('ix_payables_status_due')

    op.drop_table('payables')
    with op.batch_alter_table('order_fulfillments', schema=None) as batch_op:
        batch_op.drop_index('ix_order_fulfillments_evaluation_queue')
        batch_op.drop_index('ix_order_fulfillments_closing_queue')
        batch_op.drop_index('ix_order_fulfillments_acceptance_queue')

    op.drop_table('order_fulfillments')
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluations_supplier_submitted')

    op.drop_table('evaluations')
    with op.batch_alter_table('supplier_standings', schema=None) as batch_op:
        batch_op.drop_index('ix_supplier_standings_supplier_at')

    op.drop_table('supplier_standings')
    op.drop_table('supplier_scorecards')
    op.drop_table('policy_years')
