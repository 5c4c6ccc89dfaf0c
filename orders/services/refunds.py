"""Cancelling before shipment, refunds (full on cancel, partial after acceptance and after-sales) and transfer
payments confirmed by finance, plus the job that retries refunds Stripe did not answer.

A refund's amount is claimed on the order first (a conditional UPDATE: refunds never exceed what
was paid), its row committed with a unique idempotency key, then Stripe is called and the result
committed; localstripe ignores idempotency keys, so a retry looks for the refund first.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from uuid import uuid4

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mall import audit, clock
from mall.accounts.models import User
from mall.errors import NotFoundError
from mall.money import format_yuan
from orders import domain, payments, queries
from orders.domain import (
    AttemptStatus,
    OrderStatus,
    PaymentMode,
    PaymentStatus,
    RefundStatus,
)
from orders.models import (
    Order,
    OrderStatusChange,
    PaymentAttempt,
    Refund,
)
from orders.payments import RefundResult
from orders.services import moves

log = logging.getLogger(__name__)
REFUND_RETRY_AFTER = timedelta(minutes=1)


def cancel_order(session: Session, *, actor: User, order_id: int, reason: str = "") -> Order:
    """Cancel an order before shipment (DOMAIN.md): its stock goes back, and what was paid is
    refunded in full (by card through Stripe; a paid transfer is recorded as returned to the
    unit's account). Only someone whose roles allow the order's purpose may: a union officer
    does not cancel the canteen's orders (domain.may_act_on). Raises NotFoundError,
    PurposeNotAllowedError, PaymentInProgressError, OrderNotCancellableError."""
    order = queries.get_order_for_buyer(session, actor, order_id)
    domain.check_purpose_allowed(order.purpose, actor.roles, doing="取消")
    return cancel(session, order, actor_id=actor.id, reason=(reason or "").strip()[:100] or "采购人取消订单")


def cancel(session: Session, order: Order, *, actor_id: int | None, reason: str) -> Order:
    if order.status is OrderStatus.PENDING_PAYMENT:
        raise domain.PaymentInProgressError()
    if order.status not in domain.CANCELLABLE:
        raise domain.OrderNotCancellableError()
    now = clock.now()
    void = order.payment_status in (PaymentStatus.UNPAID, PaymentStatus.AWAITING_TRANSFER)
    moved = moves.move_order(
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
    moves.release_stock(session, [order.id], now)
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
    """Refund part (or the rest) of a paid order: for after-sales and acceptance, which check
    who may. Spread over the lines in proportion (mall.money.split_fen).
    Raises NotFoundError, RefundExceedsPaidError, InvalidInputError."""
    order = session.get(Order, order_id)
    if order is None:
        raise NotFoundError("未找到该订单")
    if order.payment_status not in (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED):
        raise domain.RefundExceedsPaidError("该订单没有可退金额")
    refund_id = _open_refund(session, order, amount_fen, reason=reason, actor_id=actor_id, now=clock.now())
    session.commit()
    return execute_refund(session, refund_id)


def open_refund(
    session: Session, order: Order, amount_fen: int, *, reason: str, actor_id: int | None, now: datetime
) -> int:
    """Claim a refund on the order and write its row inside the caller's transaction (acceptance
    and after-sales, which check who may); once the caller has committed, `execute_refund(session,
    refund_id)` pays it. Raises RefundExceedsPaidError. Returns the refund's id."""
    return _open_refund(session, order, amount_fen, reason=reason, actor_id=actor_id, now=now)


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
                note=f"退款失败：{format_yuan(refund.amount_fen)}",
                at=now,
            )
        )
        return
    lines = queries.order_lines(session, order.id)
    parts = domain.prorate_refund_fen(refund.amount_fen, [line.line_total_fen - line.refunded_fen for line in lines])
    for line, part in zip(lines, parts, strict=True):
        line.refunded_fen += part
    channel = domain.card_name(order.checkout.cart_kind) if refund.attempt_id else "对公账户"
    moves.move_order(
        session,
        order,
        now=now,
        pay=domain.status_after_refund(paid_fen=order.paid_fen, refunded_fen=order.refunded_fen),
        when_paid=(PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED),
        actor_id=refund.actor_id,
        note=f"已退款 {format_yuan(refund.amount_fen)} 至{channel}（{refund.reason}）",
    )


def mark_transfer_paid(session: Session, *, actor: User, order_id: int) -> Order:
    """A finance officer of the unit's region confirms that a bank transfer (对公转账) was paid.
    Raises NotFoundError (outside the officer's region), TransferNotDueError."""
    order = queries.get_transfer_for_finance(session, actor, order_id)
    now = clock.now()
    moved = moves.move_order(
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
