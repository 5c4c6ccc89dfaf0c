"""The fulfillment tables hold their rules even against a wrong service: quantities, scores and
money in range (CHECK), retries stored once (UNIQUE); and the factories walk an order from placed
to accepted the way the services will."""

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from fulfillment.domain import CarrierEventCode, PayableStatus, ShipmentStatus, Standing
from fulfillment.models import (
    CarrierEvent,
    Evaluation,
    LineFulfillment,
    OrderFulfillment,
    Payable,
    Shipment,
    SupplierStanding,
)
from mall import clock
from mall.extensions import db
from orders.domain import OrderStatus, PaymentMode, PaymentStatus
from tests.factories import (
    accept_order,
    add_carrier_event,
    deliver_order,
    make_accepted_order,
    make_order,
    make_shipped_order,
    make_supplier,
    ship_order,
)


def refused(statement) -> bool:
    """Whether the database refuses the statement (the test's work before it is kept)."""
    savepoint = db.session.begin_nested()
    try:
        db.session.execute(statement) if not callable(statement) else statement()
        db.session.flush()
    except IntegrityError:
        savepoint.rollback()
        return True
    savepoint.rollback()
    return False


# ---- factories ---------------------------------------------------------------------------------


def test_an_order_ships_in_two_parcels_then_is_delivered_and_accepted(app):
    # given an order of 10 and 4
    order = make_order(quantities=(10, 4))
    first, second = order.lines
    # when the supplier ships part, then the rest
    ship_order(order, {first.id: 6})
    assert order.status is OrderStatus.PARTLY_SHIPPED
    ship_order(order, {first.id: 4, second.id: 4}, carrier_code="jd")
    assert order.status is OrderStatus.SHIPPED
    # then delivery starts the acceptance window, acceptance the evaluation window
    deliver_order(order)
    record = db.session.get(OrderFulfillment, order.id)
    assert order.status is OrderStatus.DELIVERED
    assert record.acceptance_due_on == clock.today() + timedelta(days=7)
    accept_order(order, {second.id: 1})
    assert order.status is OrderStatus.ACCEPTED and record.auto_accepted
    assert record.evaluation_due_on == clock.today() + timedelta(days=15)
    assert [h.status for h in order.history] == [
        OrderStatus.PLACED,
        OrderStatus.PARTLY_SHIPPED,
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
        OrderStatus.ACCEPTED,
    ]


def test_a_card_order_accepted_with_a_rejection_records_the_refund(app):
    order = make_accepted_order(quantities=(20, 3), rejected={0: 2})
    line = db.session.get(LineFulfillment, order.lines[0].id)
    assert (line.accepted_qty, line.rejected_qty, line.rejected_fen) == (18, 2, 2 * order.lines[0].unit_price_fen)
    assert order.refunded_fen == line.rejected_fen and order.payment_status is PaymentStatus.PARTIALLY_REFUNDED
    assert db.session.scalar(select(Payable)) is None


def test_a_transfer_order_accepted_owes_the_goods_kept_thirty_days_later(app):
    order = make_accepted_order(quantities=(20,), rejected={0: 5}, payment_mode=PaymentMode.TRANSFER)
    payable = db.session.scalar(select(Payable).where(Payable.order_id == order.id))
    assert payable.amount_fen == order.total_fen * 15 // 20
    assert (payable.status, payable.term_days) == (PayableStatus.DUE, 30)
    assert payable.due_on == clock.today() + timedelta(days=30)
    assert order.refunded_fen == 0


def test_a_parcels_status_follows_its_events_in_event_time(app):
    order = make_shipped_order()
    shipment = db.session.scalar(select(Shipment).where(Shipment.order_id == order.id))
    now = clock.now()
    add_carrier_event(shipment, CarrierEventCode.IN_TRANSIT, at=now + timedelta(hours=5), city="兰州")
    add_carrier_event(shipment, CarrierEventCode.PICKED_UP, at=now + timedelta(hours=1), city="定西")
    assert shipment.status is ShipmentStatus.IN_TRANSIT
    assert [e.city for e in shipment.events] == ["定西", "兰州"]


# ---- the database keeps the rules --------------------------------------------------------------


def test_the_database_refuses_shipping_more_than_ordered(app):
    # given an order of 10, fully shipped
    order = make_shipped_order(quantities=(10,))
    line_id = order.lines[0].id
    # then a guarded UPDATE finds nothing to move, and an unguarded one breaks the CHECK
    guarded = (
        update(LineFulfillment)
        .where(LineFulfillment.order_line_id == line_id, LineFulfillment.shipped_qty + 1 <= LineFulfillment.ordered_qty)
        .values(shipped_qty=LineFulfillment.shipped_qty + 1)
    )
    assert db.session.execute(guarded).rowcount == 0
    assert refused(update(LineFulfillment).where(LineFulfillment.order_line_id == line_id).values(shipped_qty=11))
    assert refused(update(LineFulfillment).where(LineFulfillment.order_line_id == line_id).values(accepted_qty=11))


def test_a_tracking_number_names_one_parcel_per_carrier(app):
    order = make_order(quantities=(5, 5))
    ship_order(order, {order.lines[0].id: 5}, tracking_no="SF1234567890123")
    assert refused(lambda: ship_order(order, {order.lines[1].id: 5}, tracking_no="SF1234567890123"))
    ship_order(order, {order.lines[1].id: 5}, carrier_code="sf_cold", tracking_no="SF1234567890123")
    assert order.status is OrderStatus.SHIPPED


def test_a_carriers_event_is_stored_once(app):
    shipment = db.session.scalar(select(Shipment).where(Shipment.order_id == make_shipped_order().id))
    add_carrier_event(shipment, CarrierEventCode.PICKED_UP, event_id="E-1")
    assert refused(lambda: add_carrier_event(shipment, CarrierEventCode.PICKED_UP, event_id="E-1"))
    assert db.session.scalar(select(CarrierEvent.event_id)) == "E-1"


def test_one_evaluation_per_order_with_scores_from_one_to_five(app):
    order = make_accepted_order()
    now = clock.now()

    def evaluate(quality=5):
        db.session.add(
            Evaluation(
                order_id=order.id,
                supplier_id=order.supplier_id,
                quality=quality,
                timeliness=4,
                service=5,
                price=4,
                submitted_by_id=order.buyer_id,
                submitted_at=now,
                editable_until=now + timedelta(hours=24),
            )
        )

    assert refused(lambda: evaluate(quality=6))
    assert refused(lambda: evaluate(quality=0))
    evaluate()
    db.session.flush()
    assert refused(evaluate)


def test_a_disputed_amount_stays_within_what_is_unpaid(app):
    order = make_accepted_order(payment_mode=PaymentMode.TRANSFER)
    payable = db.session.scalar(select(Payable).where(Payable.order_id == order.id))
    assert refused(update(Payable).where(Payable.id == payable.id).values(disputed_fen=payable.amount_fen + 1))
    assert refused(update(Payable).where(Payable.id == payable.id).values(paid_fen=payable.amount_fen + 1))
    assert not refused(update(Payable).where(Payable.id == payable.id).values(disputed_fen=payable.amount_fen))


def test_a_standing_score_is_0_to_100(app):
    supplier = make_supplier()

    def standing(score):
        db.session.add(SupplierStanding(supplier_id=supplier.id, standing=Standing.GOOD, score=score, at=clock.now()))

    assert refused(lambda: standing(101))
    assert not refused(lambda: standing(85))
    assert not refused(lambda: standing(None))


def test_a_parcel_names_its_carrier_even_one_no_longer_listed():
    assert Shipment(carrier_code="sf").carrier_name == "顺丰速运"
    assert Shipment(carrier_code="retired").carrier_name == "retired"
