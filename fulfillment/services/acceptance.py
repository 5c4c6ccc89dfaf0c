"""验收: the buyer accepts a delivered order line by line (accepted and rejected quantities, a
reason and photos for each rejection), or the jobs loop accepts it once the window has passed.

One transaction: the order moves DELIVERED → ACCEPTED through `orders.services.moves.move_order`
(a guarded UPDATE: of two acceptances at once, one wins, the other gets `acceptance_closed`);
the verdicts and money are written; rejected goods that keep go back to stock; a card order's
refund of the rejected goods is claimed through the orders refund path (paid through Stripe once
committed), and a transfer order gets its payable for the goods kept, due after the policy's term.
The evaluation and after-sales windows start here.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import BinaryIO

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from catalog.models import Product
from catalog.search import outbox
from fulfillment import domain
from fulfillment.domain.acceptance import acceptance_note, returns_to_stock
from fulfillment.models import AcceptancePhoto, LineFulfillment, OrderFulfillment, Payable
from fulfillment.queries import acceptance as queries
from mall import audit, clock, uploads
from mall.accounts.models import User
from mall.notifications import notify
from mall.policy.domain import PolicyTerms, beijing_date, is_past
from mall.policy.queries import terms_at
from orders import services as order_services
from orders.domain import OrderStatus, PaymentMode, check_purpose_allowed
from orders.models import Order
from orders.services import moves

log = logging.getLogger(__name__)

MAX_PHOTOS_PER_LINE = 5
Photos = Mapping[int, Sequence[tuple[BinaryIO, str]]]  # by order line id: (stream, file name)


def accept_order(
    session: Session,
    *,
    actor: User,
    order_id: object,
    verdicts: Sequence[domain.LineVerdict],
    photos: Photos | None = None,
) -> Order:
    """The buyer's acceptance of a delivered order. Lines not mentioned are accepted in full.
    Raises NotFoundError, PurposeNotAllowedError, NotDeliveredError, AcceptanceClosedError,
    UnknownOrderLineError, InvalidQuantityError, InvalidAcceptanceError,
    RejectionReasonRequiredError, upload errors."""
    order = queries.get_order_for_buyer(session, actor, order_id)
    check_purpose_allowed(order.purpose, actor.roles, doing="验收")
    now = clock.now()
    record, rows = queries.progress(session, order.id)
    _check_open(order, record, now, terms_at(session, now))
    lines = _line_values(order, rows)
    checked = domain.check_verdicts(lines, verdicts)
    files = _check_photos(checked, photos or {})
    refund_id = _settle(session, order, record, rows, checked, actor_id=actor.id, now=now)
    for line_id, uploads_ in files.items():
        for upload in uploads_:
            stored = uploads.store(session, f"acceptance/{order.id}", upload)
            session.add(
                AcceptancePhoto(
                    order_line_id=line_id,
                    path=stored.path,
                    content_type=stored.content_type,
                    uploaded_by_id=actor.id,
                    created_at=now,
                )
            )
    audit.record(session, actor_id=actor.id, action="order.accept", target_type="order", target_id=order.id)
    session.commit()
    _pay_refund(session, refund_id)
    return queries.get_order_for_buyer(session, actor, order.id)


def _check_open(order: Order, record: OrderFulfillment | None, now: datetime, terms: PolicyTerms) -> None:
    if order.status is not OrderStatus.DELIVERED:
        if order.status in (OrderStatus.PARTLY_SHIPPED, OrderStatus.SHIPPED, OrderStatus.PLACED):
            raise domain.NotDeliveredError()
        raise domain.AcceptanceClosedError()
    if record is None or record.delivered_at is None:
        raise domain.NotDeliveredError()
    domain.check_acceptance_open(record.delivered_at, now, terms)


def _line_values(order: Order, rows: Mapping[int, LineFulfillment]) -> list[domain.LineValue]:
    return [
        domain.LineValue(line.id, rows[line.id].shipped_qty, line.line_total_fen, line.refunded_fen)
        for line in order.lines
    ]


def _check_photos(verdicts: Mapping[int, domain.LineVerdict], photos: Photos) -> dict[int, list]:
    """Photos belong to rejected lines (at most a few each), checked before anything is written."""
    checked = {}
    for line_id, files in photos.items():
        files = [f for f in files if f[1]]
        if not files:
            continue
        verdict = verdicts.get(line_id)
        if verdict is None or not verdict.rejected_qty:
            raise domain.InvalidAcceptanceError("照片只能随拒收的订单行上传", order_line_id=line_id)
        if len(files) > MAX_PHOTOS_PER_LINE:
            raise domain.InvalidAcceptanceError(f"每个拒收订单行最多上传{MAX_PHOTOS_PER_LINE}张照片")
        checked[line_id] = [
            uploads.check_upload(stream, name, allowed=uploads.IMAGE_TYPES, max_bytes=uploads.MAX_IMAGE_BYTES)
            for stream, name in files
        ]
    return checked


def _settle(
    session: Session,
    order: Order,
    record: OrderFulfillment,
    rows: Mapping[int, LineFulfillment],
    verdicts: Mapping[int, domain.LineVerdict],
    *,
    actor_id: int | None,
    now: datetime,
) -> int | None:
    """Move the order to accepted (or refuse: someone was first) and write what follows from it.
    Returns the refund to pay once committed, if any."""
    terms = terms_at(session, now)
    money = domain.acceptance_money(
        _line_values(order, rows), verdicts, paid_fen=order.paid_fen, refunded_fen=order.refunded_fen
    )
    rejected_qty = sum(v.rejected_qty for v in verdicts.values())
    automatic = actor_id is None
    note = acceptance_note(rejected_qty, money.total_refund_fen, automatic=automatic)
    moved = moves.move_order(
        session, order, now=now, to=OrderStatus.ACCEPTED, when=(OrderStatus.DELIVERED,), actor_id=actor_id, note=note
    )
    if not moved:
        raise domain.AcceptanceClosedError()
    storages = {}
    for line in order.lines:
        verdict, row = verdicts[line.id], rows[line.id]
        row.accepted_qty, row.rejected_qty, row.reason = verdict.accepted_qty, verdict.rejected_qty, verdict.reason
        row.rejected_fen = money.rejected_fen[line.id]
        storages[line.product_id] = session.get(Product, line.product_id).storage
    record.accepted_at, record.accepted_by_id, record.auto_accepted = now, actor_id, automatic
    record.rejected_fen, record.refund_fen = money.total_rejected_fen, money.total_refund_fen
    record.evaluation_due_on = domain.evaluation_due_on(now, terms)
    record.aftersales_closes_at = domain.order_aftersales_closes_at(record.delivered_at, storages.values(), terms)
    _restock(session, order, verdicts, storages)
    if order.payment_mode is PaymentMode.TRANSFER:
        _add_payable(session, order, money.payable_fen, terms, now)
    _notify(session, order, note)
    if not money.total_refund_fen:
        return None
    return order_services.open_refund(
        session, order, money.total_refund_fen, reason="验收拒收退款", actor_id=actor_id, now=now
    )


def _restock(
    session: Session, order: Order, verdicts: Mapping[int, domain.LineVerdict], storages: Mapping[int, object]
) -> None:
    """Refused goods that keep go back on sale (and no longer count as sold), in product-id order."""
    back: dict[int, int] = {}
    for line in order.lines:
        if verdicts[line.id].rejected_qty and returns_to_stock(storages[line.product_id]):
            back[line.product_id] = back.get(line.product_id, 0) + verdicts[line.id].rejected_qty
    for product_id in sorted(back):
        session.execute(
            update(Product)
            .where(Product.id == product_id)
            .values(stock_qty=Product.stock_qty + back[product_id], sales_qty=Product.sales_qty - back[product_id]),
            execution_options={"synchronize_session": False},
        )
    if back:
        outbox.enqueue(session, sorted(back))


def _add_payable(session: Session, order: Order, amount_fen: int, terms: PolicyTerms, now: datetime) -> None:
    """对公转账: the unit owes the supplier the goods kept (less what it already paid), due the
    policy's term after acceptance."""
    term = domain.check_term_days(None, terms)
    session.add(
        Payable(
            order_id=order.id,
            unit_id=order.unit_id,
            supplier_id=order.supplier_id,
            amount_fen=amount_fen,
            paid_fen=0,
            disputed_fen=0,
            term_days=term,
            accepted_on=beijing_date(now),
            due_on=domain.payable_due_on(now, term),
            # nothing left to pay (a transfer paid before acceptance): settled from the start
            status=domain.PayableStatus.DUE if amount_fen else domain.PayableStatus.PAID,
            interest_paid_fen=0,
            created_at=now,
        )
    )


def _notify(session: Session, order: Order, note: str) -> None:
    text = f"订单 {order.number}：{note}"
    notify(session, unit_id=order.unit_id, text=text, link=f"/orders/{order.id}")
    for user_id in queries.supplier_user_ids(session, order.supplier_id):
        notify(session, user_id=user_id, text=text, link=f"/supplier/orders/{order.id}")


def _pay_refund(session: Session, refund_id: int | None) -> None:
    """After the commit: pay the claimed refund (Stripe for a card order). If Stripe does not
    answer, the orders job retries it; the acceptance stands either way."""
    if refund_id is not None:
        order_services.execute_refund(session, refund_id)


def auto_accept_due(session: Session) -> int:
    """Job: delivered orders whose acceptance window has passed are accepted in full, recorded as
    automatic (no one accepted them). Each order in its own transaction; an order the buyer
    accepted meanwhile is left as the buyer left it."""
    now = clock.now()
    due = session.scalars(
        select(OrderFulfillment.order_id)
        .where(OrderFulfillment.accepted_at.is_(None), OrderFulfillment.acceptance_due_on < beijing_date(now))
        .order_by(OrderFulfillment.acceptance_due_on, OrderFulfillment.order_id)
    ).all()
    done = 0
    for order_id in due:
        order = session.get(Order, order_id, populate_existing=True)
        record, rows = queries.progress(session, order_id)
        if order.status is not OrderStatus.DELIVERED or not is_past(record.acceptance_due_on, now):
            continue
        verdicts = domain.check_verdicts(_line_values(order, rows), [])
        try:
            refund_id = _settle(session, order, record, rows, verdicts, actor_id=None, now=now)
        except domain.AcceptanceClosedError:
            session.rollback()
            continue
        session.commit()
        _pay_refund(session, refund_id)
        log.info("order %s accepted automatically", order_id)
        done += 1
    return done
