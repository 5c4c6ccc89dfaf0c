"""The moves every settlement path shares (the caller commits): orders to a new status with their
history, reservations to committed or released with the stock and sales counts, payment attempt
rows, Idempotency-Key completion, and closing a pending approval.

Each move is a conditional UPDATE on the current state (RETURNING what moved), so of two paths
reaching the same row — the request, the webhook, the job, an admin — exactly one moves it.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from uuid import uuid4

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from catalog.models import Product
from catalog.search import outbox
from orders import domain
from orders.domain import (
    ApprovalStatus,
    AttemptStatus,
    OrderStatus,
    PaymentStatus,
    ReservationStatus,
)
from orders.models import (
    Checkout,
    IdempotencyKey,
    Order,
    OrderStatusChange,
    PaymentAttempt,
    PaymentCard,
    StockReservation,
)

log = logging.getLogger(__name__)


def move_orders(
    session: Session,
    orders: Sequence[Order] = (),
    *,
    checkout_id: int | None = None,
    now: datetime,
    to: OrderStatus | None = None,
    when: Iterable[OrderStatus] = (),
    pay: PaymentStatus | None = None,
    when_paid: Iterable[PaymentStatus] = (),
    actor_id: int | None = None,
    note: str = "",
    **values: object,
) -> list[int]:
    """Move orders to a new status and/or payment status, each only if it is still in one of
    the expected ones: one conditional UPDATE (of two concurrent moves, one wins), RETURNING
    the orders that moved, whose history is written. `values` may be SQL expressions of the row
    (e.g. paid_fen=Order.total_fen). The orders are given, or all of a checkout's (`checkout_id`).
    Returns the ids of the orders that moved; those loaded in the session are brought up to date."""
    if checkout_id is not None:
        stmt = update(Order).where(Order.checkout_id == checkout_id)
    elif orders:
        stmt = update(Order).where(Order.id.in_([o.id for o in orders]))
    else:
        return []
    changes: dict[str, object] = dict(values)
    if to is not None:
        expected = tuple(when)
        for current in expected:
            domain.ensure_order_transition(current, to)
        stmt, changes["status"] = stmt.where(Order.status.in_(expected)), to
    if pay is not None:
        expected_paid = tuple(when_paid)
        for current in expected_paid:
            domain.ensure_payment_transition(current, pay)
        stmt, changes["payment_status"] = stmt.where(Order.payment_status.in_(expected_paid)), pay
    names = list(changes)
    returning = [Order.id, Order.status, Order.payment_status, *(getattr(Order, n) for n in names)]
    rows = session.execute(
        stmt.values(**changes).returning(*returning), execution_options={"synchronize_session": False}
    ).all()
    moved = []
    for order_id, status, payment_status, *new_values in sorted(rows, key=lambda r: r[0]):
        order = session.identity_map.get(identity_key(Order, order_id))
        if order is not None:
            for name, value in zip(names, new_values, strict=True):
                set_committed_value(order, name, value)
        session.add(
            OrderStatusChange(
                order_id=order_id,
                status=status,
                payment_status=payment_status,
                actor_id=actor_id,
                note=note[:200],
                at=now,
            )
        )
        moved.append(order_id)
    return moved


def move_order(session: Session, order: Order, **kwargs) -> bool:
    """move_orders for one order: whether it moved."""
    return bool(move_orders(session, [order], **kwargs))


def move_reservations(
    session: Session, order_ids: Sequence[int], *, frm: ReservationStatus, to: ReservationStatus, now: datetime
) -> int:
    """Move the orders' reservations that are still `frm` (one conditional UPDATE: each moves
    once), and put the stock and sales counts right, product by product in id order (the lock
    order of checkout)."""
    if not order_ids:
        return 0
    rows = session.execute(
        update(StockReservation)
        .where(StockReservation.order_id.in_(order_ids), StockReservation.status == frm)
        .values(status=to, settled_at=now)
        .returning(StockReservation.product_id, StockReservation.quantity),
        execution_options={"synchronize_session": False},
    ).all()
    quantities = Counter()
    for product_id, quantity in rows:
        quantities[product_id] += quantity
    for product_id in sorted(quantities):
        quantity = quantities[product_id]
        stock = quantity if to is ReservationStatus.RELEASED else 0
        sales = {
            (ReservationStatus.HELD, ReservationStatus.COMMITTED): quantity,
            (ReservationStatus.COMMITTED, ReservationStatus.RELEASED): -quantity,
        }.get((frm, to), 0)
        session.execute(
            update(Product)
            .where(Product.id == product_id)
            .values(stock_qty=Product.stock_qty + stock, sales_qty=Product.sales_qty + sales),
            execution_options={"synchronize_session": False},
        )
    if any(quantities.values()) and (frm, to) != (ReservationStatus.HELD, ReservationStatus.RELEASED):
        outbox.enqueue(session, sorted(quantities))  # sales changed: search ranks by them
    return len(rows)


def commit_stock(session: Session, order_ids: Sequence[int], now: datetime) -> int:
    """Held stock becomes sold (the product's sales count grows)."""
    return move_reservations(session, order_ids, frm=ReservationStatus.HELD, to=ReservationStatus.COMMITTED, now=now)


def release_stock(session: Session, order_ids: Sequence[int], now: datetime) -> int:
    """Held or sold stock of these orders goes back on the shelf."""
    return move_reservations(
        session, order_ids, frm=ReservationStatus.HELD, to=ReservationStatus.RELEASED, now=now
    ) + move_reservations(session, order_ids, frm=ReservationStatus.COMMITTED, to=ReservationStatus.RELEASED, now=now)


def new_attempt(
    session: Session, checkout: Checkout, card: PaymentCard, amount_fen: int, now: datetime
) -> PaymentAttempt:
    attempt = PaymentAttempt(
        checkout_id=checkout.id,
        idempotency_key=f"pay-{checkout.id}-{uuid4().hex}",
        amount_fen=amount_fen,
        status=AttemptStatus.PENDING,
        card_id=card.id,
        created_at=now,
    )
    session.add(attempt)
    session.flush()
    return attempt


def complete_keys(session: Session, checkout_id: int, now: datetime, status: AttemptStatus) -> None:
    """The checkout's outcome is known: requests replaying its Idempotency-Key stop waiting and
    answer as the first one did (201, or 402 for a declined card)."""
    response = domain.PaymentFailedError.http_status if status is AttemptStatus.FAILED else 201
    session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.checkout_id == checkout_id, IdempotencyKey.completed_at.is_(None))
        .values(completed_at=now, response_status=response),
        execution_options={"synchronize_session": False},
    )


def end_approval(
    session: Session, checkout: Checkout, *, approve: bool, actor_id: int | None, note: str, now: datetime
) -> list[Order]:
    """Close a pending approval once (a conditional UPDATE: an admin's decision and the lapse
    job cannot both win). Rejected or lapsed: its waiting orders are cancelled and their stock
    released. Approved: returns the orders still waiting, for the caller to move on. The caller
    commits."""
    decided = session.execute(
        update(Checkout)
        .where(Checkout.id == checkout.id, Checkout.approval_status == ApprovalStatus.PENDING)
        .values(
            approval_status=ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED,
            decided_by_id=actor_id,
            decided_at=now,
            decision_note=note[:200],
        ),
        execution_options={"synchronize_session": False},
    ).rowcount
    if decided != 1:
        raise domain.ApprovalNotPendingError()
    session.expire(checkout)
    waiting = session.scalars(
        select(Order).where(Order.checkout_id == checkout.id, Order.status == OrderStatus.PENDING_APPROVAL)
    ).all()
    if approve:
        return list(waiting)
    cancelled = move_orders(
        session,
        waiting,
        now=now,
        to=OrderStatus.CANCELLED,
        when=(OrderStatus.PENDING_APPROVAL,),
        pay=PaymentStatus.VOIDED,
        when_paid=(PaymentStatus.UNPAID,),
        actor_id=actor_id,
        note=note,
        cancelled_at=now,
        cancel_reason=note,
    )
    release_stock(session, cancelled, now)
    return [o for o in waiting if o.id in cancelled]
