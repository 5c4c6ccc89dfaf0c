"""What follows a checkout: charging the card, settling the payment (orders placed, or cancelled
with their stock released and their lines back in the cart), cancellations, refunds, transfer
payments, Stripe webhooks, and the jobs that reconcile held stock and pending refunds.

Every state change is a conditional UPDATE on the current state with a row-count check, so a
payment settles once however many paths (the request, the webhook, the reservation job) reach
it, and stock is released or committed once per reservation. Calls to Stripe happen between
commits: the attempt or refund row is committed first (with its unique idempotency key), the
gateway is called, then the result is committed.
"""

from __future__ import annotations

import contextlib
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from uuid import uuid4

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from catalog.models import Product
from mall import audit, clock
from mall.accounts.models import User
from mall.errors import NotFoundError
from orders import domain, payments, queries
from orders.domain import (
    ApprovalStatus,
    AttemptStatus,
    CartKind,
    OrderStatus,
    PaymentMode,
    PaymentStatus,
    RefundStatus,
    ReservationStatus,
)
from orders.models import (
    Checkout,
    IdempotencyKey,
    Order,
    OrderLine,
    OrderStatusChange,
    PaymentAttempt,
    PaymentCard,
    Refund,
    StockReservation,
    StripeEvent,
    owner_key,
)
from orders.payments import ChargeResult, RefundResult
from orders.services.cart import restore_lines

log = logging.getLogger(__name__)

SUCCEEDED_EVENT = "payment_intent.succeeded"
FAILED_EVENT = "payment_intent.payment_failed"
REFUND_RETRY_AFTER = timedelta(minutes=1)

# ---- order and stock moves (the caller commits) ------------------------------------------------


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


def _move_reservations(
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
    return len(rows)


def commit_stock(session: Session, order_ids: Sequence[int], now: datetime) -> int:
    """Held stock becomes sold (the product's sales count grows)."""
    return _move_reservations(session, order_ids, frm=ReservationStatus.HELD, to=ReservationStatus.COMMITTED, now=now)


def release_stock(session: Session, order_ids: Sequence[int], now: datetime) -> int:
    """Held or sold stock of these orders goes back on the shelf."""
    return _move_reservations(
        session, order_ids, frm=ReservationStatus.HELD, to=ReservationStatus.RELEASED, now=now
    ) + _move_reservations(session, order_ids, frm=ReservationStatus.COMMITTED, to=ReservationStatus.RELEASED, now=now)


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


# ---- paying ------------------------------------------------------------------------------------


def run_payment(session: Session, attempt_id: int, card: PaymentCard | None = None) -> PaymentAttempt:
    """Charge the card for an attempt already committed, and settle it (commits).

    Raises PaymentFailedError when the card is declined, after the failure is committed (orders
    cancelled, stock released, lines back in the cart). A gateway that does not answer leaves
    the payment processing; the reservation job settles it with Stripe later.
    """
    attempt = session.get(PaymentAttempt, attempt_id)
    card = card or session.get(PaymentCard, attempt.card_id)
    try:
        result = payments.gateway().charge(
            amount_fen=attempt.amount_fen,
            customer_id=card.stripe_customer_id,
            payment_method_id=card.stripe_payment_method_id,
            idempotency_key=attempt.idempotency_key,
            metadata={"attempt_id": attempt.id, "checkout_id": attempt.checkout_id, "unit_id": card.unit_id},
        )
    except payments.GatewayUnavailableError:
        result = ChargeResult("processing", None)
    except payments.GatewayRejectedError as err:
        result = ChargeResult("failed", None, err.code or "card_rejected", str(err))
    now = clock.now()
    status, late_refund = settle_attempt(session, attempt_id, result, now=now)
    complete_keys(session, attempt.checkout_id, now, status)
    session.commit()
    log.info("payment attempt %s: %s (%s fen)", attempt_id, status, attempt.amount_fen)
    if late_refund:
        execute_refund(session, late_refund)
    if status is AttemptStatus.FAILED:
        raise domain.PaymentFailedError(checkout_id=attempt.checkout_id, reason=result.failure_message)
    return attempt


def settle_attempt(
    session: Session, attempt_id: int, result: ChargeResult, *, now: datetime
) -> tuple[AttemptStatus, int | None]:
    """Apply a charge's outcome once (the caller commits). Success places the checkout's orders
    and commits their stock; failure cancels them, releases the stock and puts the lines back in
    the cart. A success for an attempt already given up on (timed out) opens a full refund.
    Returns the attempt's status and the id of a refund to execute after the commit, if any."""
    if result.status == "processing":
        values: dict[str, object] = {"status": AttemptStatus.PROCESSING}
        if result.payment_intent_id:
            values["stripe_payment_intent_id"] = result.payment_intent_id
        session.execute(
            update(PaymentAttempt)
            .where(PaymentAttempt.id == attempt_id, PaymentAttempt.status.in_(domain.SETTLEABLE_ATTEMPTS))
            .values(**values),
            execution_options={"synchronize_session": False},
        )
        return AttemptStatus.PROCESSING, None
    target = AttemptStatus.SUCCEEDED if result.status == "succeeded" else AttemptStatus.FAILED
    values = {
        "status": target,
        "completed_at": now,
        "failure_code": result.failure_code[:60],
        "failure_message": result.failure_message[:200],
    }
    if result.payment_intent_id:
        values["stripe_payment_intent_id"] = result.payment_intent_id
    checkout_id = session.scalar(
        update(PaymentAttempt)
        .where(PaymentAttempt.id == attempt_id, PaymentAttempt.status.in_(domain.SETTLEABLE_ATTEMPTS))
        .values(**values)
        .returning(PaymentAttempt.checkout_id),
        execution_options={"synchronize_session": False},
    )
    if checkout_id is None:  # settled already (by the request, the webhook or the job)
        attempt = session.get(PaymentAttempt, attempt_id, populate_existing=True)
        if target is AttemptStatus.SUCCEEDED and attempt.status is AttemptStatus.FAILED:
            return attempt.status, _open_late_refund(session, attempt, result.payment_intent_id, now)
        return attempt.status, None
    loaded = session.identity_map.get(identity_key(PaymentAttempt, attempt_id))
    for name, value in values.items():
        if loaded is not None:
            set_committed_value(loaded, name, value)
    checkout = session.get(Checkout, checkout_id)
    if target is AttemptStatus.SUCCEEDED:
        placed = move_orders(
            session,
            checkout_id=checkout_id,
            now=now,
            to=OrderStatus.PLACED,
            when=(OrderStatus.PENDING_PAYMENT,),
            pay=PaymentStatus.PAID,
            when_paid=(PaymentStatus.PROCESSING,),
            note=f"{domain.card_name(checkout.cart_kind)}支付成功",
            paid_fen=Order.total_fen,
            paid_at=now,
            placed_at=now,
        )
        commit_stock(session, placed, now)
        return target, None
    reason = f"{domain.card_name(checkout.cart_kind)}支付未成功：{result.failure_message or result.failure_code}"[:200]
    cancelled = move_orders(
        session,
        checkout_id=checkout_id,
        now=now,
        to=OrderStatus.CANCELLED,
        when=(OrderStatus.PENDING_PAYMENT,),
        pay=PaymentStatus.FAILED,
        when_paid=(PaymentStatus.PROCESSING,),
        note=reason,
        cancelled_at=now,
        cancel_reason=reason,
    )
    release_stock(session, cancelled, now)
    restore_lines(
        session,
        cart_key=owner_key(checkout.cart_kind, unit_id=checkout.unit_id, user_id=checkout.buyer_id),
        unit_id=checkout.unit_id,
        user_id=checkout.buyer_id if checkout.cart_kind is CartKind.PERSONAL else None,
        lines=session.execute(
            select(OrderLine, Order.purpose).join(Order).where(Order.id.in_(cancelled)).order_by(OrderLine.id)
        ).all(),
        now=now,
    )
    return target, None


def _open_late_refund(session: Session, attempt: PaymentAttempt, payment_intent_id: str | None, now: datetime):
    values: dict[str, object] = {"status": AttemptStatus.REFUNDED}
    if payment_intent_id and not attempt.stripe_payment_intent_id:
        values["stripe_payment_intent_id"] = payment_intent_id
    claimed = session.execute(
        update(PaymentAttempt)
        .where(PaymentAttempt.id == attempt.id, PaymentAttempt.status == AttemptStatus.FAILED)
        .values(**values),
        execution_options={"synchronize_session": False},
    ).rowcount
    if claimed != 1:
        return None
    refund = Refund(
        order_id=None,
        attempt_id=attempt.id,
        amount_fen=attempt.amount_fen,
        reason="支付超时后扣款成功，全额退回",
        status=RefundStatus.PENDING,
        idempotency_key=f"refund-{uuid4().hex}",
        created_at=now,
    )
    session.add(refund)
    session.flush()
    log.warning("attempt %s succeeded after it had failed: refunding %s fen", attempt.id, attempt.amount_fen)
    return refund.id


# ---- cancelling and refunding ------------------------------------------------------------------


def cancel_order(session: Session, *, actor: User, order_id: int, reason: str = "") -> Order:
    """Cancel an order before shipment (DOMAIN.md): its stock goes back, and what was paid is
    refunded in full (by card through Stripe; a paid transfer is recorded as returned to the
    unit's account). Raises NotFoundError, PaymentInProgressError, OrderNotCancellableError."""
    order = queries.get_order_for_buyer(session, actor, order_id)
    return cancel(session, order, actor_id=actor.id, reason=(reason or "").strip()[:100] or "采购人取消订单")


def cancel(session: Session, order: Order, *, actor_id: int | None, reason: str) -> Order:
    if order.status is OrderStatus.PENDING_PAYMENT:
        raise domain.PaymentInProgressError()
    if order.status not in domain.CANCELLABLE:
        raise domain.OrderNotCancellableError()
    now = clock.now()
    void = order.payment_status in (PaymentStatus.UNPAID, PaymentStatus.AWAITING_TRANSFER)
    moved = move_order(
        session,
        order,
        now=now,
        to=OrderStatus.CANCELLED,
        when=tuple(domain.CANCELLABLE),
        pay=PaymentStatus.VOIDED if void else None,
        when_paid=(order.payment_status,) if void else (),
        actor_id=actor_id,
        note=f"取消：{reason}",
        cancelled_at=now,
        cancel_reason=reason,
    )
    if not moved:
        raise domain.OrderNotCancellableError()
    release_stock(session, [order.id], now)
    refund_id = None
    if order.paid_fen > order.refunded_fen:
        refund_id = _open_refund(
            session, order, order.paid_fen - order.refunded_fen, reason="订单取消，全额退款", actor_id=actor_id, now=now
        )
    audit.record(session, actor_id=actor_id, action="order.cancel", target_type="order", target_id=order.id)
    session.commit()
    log.info("order %s cancelled by %s (refund %s)", order.id, actor_id, refund_id)
    if refund_id:
        execute_refund(session, refund_id)
    return order


def refund_order(
    session: Session, *, order_id: int, amount_fen: int, reason: str, actor_id: int | None = None
) -> Refund:
    """Refund part (or the rest) of a paid order: for after-sales and acceptance (later issues),
    which check who may. Spread over the lines in proportion (mall.money.split_fen).
    Raises NotFoundError, RefundExceedsPaidError, InvalidInputError."""
    order = session.get(Order, order_id)
    if order is None:
        raise NotFoundError("未找到该订单")
    if order.payment_status not in (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED):
        raise domain.RefundExceedsPaidError("该订单没有可退金额")
    refund_id = _open_refund(session, order, amount_fen, reason=reason, actor_id=actor_id, now=clock.now())
    session.commit()
    return execute_refund(session, refund_id)


def _open_refund(
    session: Session, order: Order, amount_fen: int, *, reason: str, actor_id: int | None, now: datetime
) -> int:
    domain.check_refund(amount_fen, paid_fen=order.paid_fen, refunded_fen=order.refunded_fen)
    # The amount is claimed on the order first: two refunds at once cannot exceed what was paid.
    claimed = session.execute(
        update(Order)
        .where(Order.id == order.id, Order.refunded_fen + amount_fen <= Order.paid_fen)
        .values(refunded_fen=Order.refunded_fen + amount_fen),
        execution_options={"synchronize_session": False},
    ).rowcount
    if claimed != 1:
        raise domain.RefundExceedsPaidError()
    session.expire(order, ["refunded_fen"])
    attempt_id = None
    if order.payment_mode is PaymentMode.CARD:
        attempt_id = session.scalar(
            select(PaymentAttempt.id).where(
                PaymentAttempt.checkout_id == order.checkout_id, PaymentAttempt.status == AttemptStatus.SUCCEEDED
            )
        )
    refund = Refund(
        order_id=order.id,
        attempt_id=attempt_id,
        amount_fen=amount_fen,
        reason=reason[:200],
        status=RefundStatus.PENDING,
        idempotency_key=f"refund-{uuid4().hex}",
        actor_id=actor_id,
        created_at=now,
    )
    session.add(refund)
    session.flush()
    return refund.id


def execute_refund(session: Session, refund_id: int, *, retry: bool = False) -> Refund:
    """Return a refund's money (commits): through Stripe for a card payment (a retry first looks
    for a refund already made under the same key), or recorded as returned to the unit's
    account for a transfer. If Stripe does not answer, the refund stays pending for the job."""
    refund = session.get(Refund, refund_id)
    if refund.status is not RefundStatus.PENDING:
        return refund
    result = RefundResult("", "succeeded")  # a transfer goes back to the unit's bank account
    if refund.attempt_id is not None:
        attempt = session.get(PaymentAttempt, refund.attempt_id)
        gateway = payments.gateway()
        try:
            found = None
            if retry:
                found = gateway.find_refund(
                    payment_intent_id=attempt.stripe_payment_intent_id, idempotency_key=refund.idempotency_key
                )
            result = found or gateway.refund(
                payment_intent_id=attempt.stripe_payment_intent_id,
                amount_fen=refund.amount_fen,
                idempotency_key=refund.idempotency_key,
                metadata={"refund_id": refund.id, "order_id": refund.order_id or ""},
            )
        except payments.GatewayUnavailableError:
            log.warning("refund %s: gateway unavailable, will retry", refund.id)
            return refund
        except payments.GatewayRejectedError as err:
            log.error("refund %s refused by the gateway: %s", refund.id, err)
            result = RefundResult("", "failed")
    now = clock.now()
    succeeded = result.status != "failed"
    claimed = session.execute(
        update(Refund)
        .where(Refund.id == refund.id, Refund.status == RefundStatus.PENDING)
        .values(
            status=RefundStatus.SUCCEEDED if succeeded else RefundStatus.FAILED,
            stripe_refund_id=result.refund_id or None,
            completed_at=now,
        ),
        execution_options={"synchronize_session": False},
    ).rowcount
    if claimed == 1 and refund.order_id is not None:
        _apply_refund_to_order(session, refund, succeeded=succeeded, now=now)
    session.commit()
    log.info("refund %s: %s fen %s", refund_id, refund.amount_fen, "succeeded" if succeeded else "failed")
    return session.get(Refund, refund_id, populate_existing=True)


def _apply_refund_to_order(session: Session, refund: Refund, *, succeeded: bool, now: datetime) -> None:
    order = session.get(Order, refund.order_id, populate_existing=True)
    if not succeeded:  # give the claimed amount back
        session.execute(
            update(Order).where(Order.id == order.id).values(refunded_fen=Order.refunded_fen - refund.amount_fen),
            execution_options={"synchronize_session": False},
        )
        session.add(
            OrderStatusChange(
                order_id=order.id,
                status=order.status,
                payment_status=order.payment_status,
                note=f"退款失败：{refund.amount_fen / 100:.2f}元",
                at=now,
            )
        )
        return
    lines = queries.order_lines(session, order.id)
    parts = domain.prorate_refund_fen(refund.amount_fen, [line.line_total_fen - line.refunded_fen for line in lines])
    for line, part in zip(lines, parts, strict=True):
        line.refunded_fen += part
    channel = domain.card_name(order.checkout.cart_kind) if refund.attempt_id else "对公账户"
    move_order(
        session,
        order,
        now=now,
        pay=domain.status_after_refund(paid_fen=order.paid_fen, refunded_fen=order.refunded_fen),
        when_paid=(PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED),
        actor_id=refund.actor_id,
        note=f"已退款 {refund.amount_fen / 100:.2f} 元至{channel}（{refund.reason}）",
    )


def mark_transfer_paid(session: Session, *, actor: User, order_id: int) -> Order:
    """A finance officer of the unit's region confirms that a bank transfer (对公转账) was paid.
    Raises NotFoundError (outside the officer's region), TransferNotDueError."""
    order = queries.get_transfer_for_finance(session, actor, order_id)
    now = clock.now()
    moved = move_order(
        session,
        order,
        now=now,
        pay=PaymentStatus.PAID,
        when_paid=(PaymentStatus.AWAITING_TRANSFER,),
        actor_id=actor.id,
        note="财政部门确认对公转账已到账",
        paid_fen=order.total_fen,
        paid_at=now,
    )
    if not moved:
        raise domain.TransferNotDueError()
    audit.record(session, actor_id=actor.id, action="order.transfer_paid", target_type="order", target_id=order.id)
    session.commit()
    log.info("order %s: transfer of %s fen marked paid by %s", order.id, order.total_fen, actor.id)
    return order


# ---- webhooks ----------------------------------------------------------------------------------


def apply_stripe_event(session: Session, event: payments.GatewayEvent) -> str:
    """Apply a verified Stripe event once (its id is unique): a payment's success or failure
    settles its attempt, unless the request (or an earlier event) already did. Returns what
    happened: duplicate, ignored, unknown_payment, or attempt_<status>."""
    now = clock.now()
    row = StripeEvent(
        event_id=event.id[:80],
        type=event.type[:80],
        object_id=event.object_id[:80],
        outcome="received",
        received_at=now,
    )
    session.add(row)
    try:
        session.flush()  # a concurrent delivery of the same event waits here, then fails
    except IntegrityError:
        session.rollback()
        log.info("stripe event %s already applied", event.id)
        return "duplicate"
    late_refund = None
    outcome = "ignored"
    if event.type in (SUCCEEDED_EVENT, FAILED_EVENT):
        attempt = _attempt_for(session, event)
        succeeded = event.type == SUCCEEDED_EVENT
        if attempt is None:
            outcome = "unknown_payment"
        elif attempt.status not in domain.SETTLEABLE_ATTEMPTS and not (
            succeeded and attempt.status is AttemptStatus.FAILED
        ):
            outcome = f"attempt_{attempt.status}"  # the request settled it already: nothing to do
        else:
            result = ChargeResult(
                "succeeded" if event.type == SUCCEEDED_EVENT else "failed",
                event.object_id,
                event.failure_code or ("" if event.type == SUCCEEDED_EVENT else "card_declined"),
                event.failure_message,
            )
            status, late_refund = settle_attempt(session, attempt.id, result, now=now)
            complete_keys(session, attempt.checkout_id, now, status)
            outcome = f"attempt_{status}"
    row.outcome = outcome
    session.commit()
    log.info("stripe event %s (%s): %s", event.id, event.type, outcome)
    if late_refund:
        execute_refund(session, late_refund)
    return outcome


def _attempt_for(session: Session, event: payments.GatewayEvent) -> PaymentAttempt | None:
    attempt = session.scalar(select(PaymentAttempt).where(PaymentAttempt.stripe_payment_intent_id == event.object_id))
    if attempt is not None:
        return attempt
    # The request may have died before it recorded the PaymentIntent: the metadata names the attempt.
    attempt_id = event.metadata.get("attempt_id", "")
    attempt = session.get(PaymentAttempt, int(attempt_id)) if attempt_id.isdigit() else None
    if attempt is None or attempt.amount_fen != event.amount_fen or attempt.stripe_payment_intent_id:
        return None
    return attempt


# ---- jobs --------------------------------------------------------------------------------------


def release_expired_holds(session: Session) -> int:
    """Job: stock held past its time. A purchase still waiting for its admin lapses (orders
    cancelled, stock back on the shelf). A card payment still unsettled is looked up at Stripe
    and settled as Stripe says; one still running there is cancelled and fails here ("payment
    timed out"); if Stripe does not answer, the next round tries again. Returns how many
    checkouts it settled."""
    now = clock.now()
    checkout_ids = session.scalars(
        select(StockReservation.checkout_id)
        .where(StockReservation.status == ReservationStatus.HELD, StockReservation.expires_at < now)
        .distinct()
    ).all()
    settled = 0
    for checkout_id in checkout_ids:
        try:
            settled += _expire_checkout(session, checkout_id, now)
        except payments.GatewayUnavailableError:
            session.rollback()
            log.warning("checkout %s: payment gateway unavailable, retrying next round", checkout_id)
    return settled


def _expire_checkout(session: Session, checkout_id: int, now: datetime) -> int:
    checkout = session.get(Checkout, checkout_id)
    if checkout.approval_status is ApprovalStatus.PENDING:
        try:
            end_approval(session, checkout, approve=False, actor_id=None, note="审批超时，采购单自动失效", now=now)
        except domain.ApprovalNotPendingError:
            session.rollback()  # the admin decided meanwhile
            return 0
        session.commit()
        return 1
    attempt = session.scalar(
        select(PaymentAttempt)
        .where(PaymentAttempt.checkout_id == checkout_id, PaymentAttempt.status.in_(domain.SETTLEABLE_ATTEMPTS))
        .order_by(PaymentAttempt.id.desc())
    )
    if attempt is None:
        # Held with nothing left to pay for it (its orders were settled another way): release.
        orders = [o.id for o in queries.checkout_orders(session, checkout_id)]
        released = _move_reservations(
            session, orders, frm=ReservationStatus.HELD, to=ReservationStatus.RELEASED, now=now
        )
        session.commit()
        return 1 if released else 0
    result = ChargeResult("failed", None, "payment_timeout", "支付超时")
    if attempt.stripe_payment_intent_id:
        gateway = payments.gateway()
        result = gateway.payment_status(attempt.stripe_payment_intent_id)
        if result.status == "processing":
            with contextlib.suppress(payments.GatewayRejectedError):  # it finished meanwhile: read it below
                gateway.cancel_payment(attempt.stripe_payment_intent_id)
            result = gateway.payment_status(attempt.stripe_payment_intent_id)
            if result.status == "processing":
                result = ChargeResult("failed", attempt.stripe_payment_intent_id, "payment_timeout", "支付超时")
    status, late_refund = settle_attempt(session, attempt.id, result, now=now)
    complete_keys(session, checkout_id, now, status)
    session.commit()
    log.info("checkout %s: held stock expired, payment %s", checkout_id, status)
    if late_refund:
        execute_refund(session, late_refund)
    return 1


def retry_pending_refunds(session: Session) -> int:
    """Job: refunds left pending because Stripe did not answer are tried again (looking first
    for one made under the same key, since localstripe ignores idempotency keys)."""
    cutoff = clock.now() - REFUND_RETRY_AFTER
    ids = session.scalars(
        select(Refund.id).where(Refund.status == RefundStatus.PENDING, Refund.created_at < cutoff).order_by(Refund.id)
    ).all()
    done = 0
    for refund_id in ids:
        if execute_refund(session, refund_id, retry=True).status is not RefundStatus.PENDING:
            done += 1
    return done
