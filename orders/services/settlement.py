"""Charging the card for a checkout and settling the outcome once (orders placed, or cancelled
with their stock released and their lines back in the cart), Stripe webhooks, and the job that
reconciles stock held past its time.

The attempt row is committed before Stripe is called (with its unique idempotency key), and
settled by a conditional UPDATE on its status, so the request, the webhook and the job settle a
payment once however many of them reach it.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime
from uuid import uuid4

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from mall import clock
from mall.bounds import parse_id
from orders import domain, payments, queries
from orders.domain import (
    ApprovalStatus,
    AttemptStatus,
    CartKind,
    OrderStatus,
    PaymentStatus,
    RefundStatus,
    ReservationStatus,
)
from orders.models import (
    Checkout,
    Order,
    OrderLine,
    PaymentAttempt,
    PaymentCard,
    Refund,
    StockReservation,
    StripeEvent,
    owner_key,
)
from orders.payments import ChargeResult
from orders.services import moves
from orders.services.cart import restore_lines
from orders.services.refunds import execute_refund

log = logging.getLogger(__name__)
SUCCEEDED_EVENT = "payment_intent.succeeded"
FAILED_EVENT = "payment_intent.payment_failed"


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
    moves.complete_keys(session, attempt.checkout_id, now, status)
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
        _mark_processing(session, attempt_id, result.payment_intent_id)
        return AttemptStatus.PROCESSING, None
    target = AttemptStatus.SUCCEEDED if result.status == "succeeded" else AttemptStatus.FAILED
    checkout_id = _claim_outcome(session, attempt_id, target, result, now)
    if checkout_id is None:  # settled already (by the request, the webhook or the job)
        attempt = session.get(PaymentAttempt, attempt_id, populate_existing=True)
        if target is AttemptStatus.SUCCEEDED and attempt.status is AttemptStatus.FAILED:
            return attempt.status, _open_late_refund(session, attempt, result.payment_intent_id, now)
        return attempt.status, None
    checkout = session.get(Checkout, checkout_id)
    if target is AttemptStatus.SUCCEEDED:
        _place_paid_orders(session, checkout, now)
    else:
        _cancel_unpaid_orders(session, checkout, result, now)
    return target, None


def _mark_processing(session: Session, attempt_id: int, payment_intent_id: str | None) -> None:
    values: dict[str, object] = {"status": AttemptStatus.PROCESSING}
    if payment_intent_id:
        values["stripe_payment_intent_id"] = payment_intent_id
    session.execute(
        update(PaymentAttempt)
        .where(PaymentAttempt.id == attempt_id, PaymentAttempt.status.in_(domain.SETTLEABLE_ATTEMPTS))
        .values(**values),
        execution_options={"synchronize_session": False},
    )


def _claim_outcome(
    session: Session, attempt_id: int, target: AttemptStatus, result: ChargeResult, now: datetime
) -> int | None:
    """Move the attempt from a settleable state to its outcome (a guarded UPDATE: of the request,
    the webhook and the job, one wins). Returns its checkout's id, or None if it was settled."""
    values: dict[str, object] = {
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
    loaded = session.identity_map.get(identity_key(PaymentAttempt, attempt_id))
    if checkout_id is not None and loaded is not None:
        for name, value in values.items():
            set_committed_value(loaded, name, value)
    return checkout_id


def _place_paid_orders(session: Session, checkout: Checkout, now: datetime) -> None:
    placed = moves.move_orders(
        session,
        checkout_id=checkout.id,
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
    moves.commit_stock(session, placed, now)


def _cancel_unpaid_orders(session: Session, checkout: Checkout, result: ChargeResult, now: datetime) -> None:
    """A declined or timed-out payment: the orders are cancelled, their stock released and
    their lines put back in the cart they came from."""
    reason = f"{domain.card_name(checkout.cart_kind)}支付未成功：{result.failure_message or result.failure_code}"[:200]
    cancelled = moves.move_orders(
        session,
        checkout_id=checkout.id,
        now=now,
        to=OrderStatus.CANCELLED,
        when=(OrderStatus.PENDING_PAYMENT,),
        pay=PaymentStatus.FAILED,
        when_paid=(PaymentStatus.PROCESSING,),
        note=reason,
        cancelled_at=now,
        cancel_reason=reason,
    )
    moves.release_stock(session, cancelled, now)
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
            moves.complete_keys(session, attempt.checkout_id, now, status)
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
    # A signed event is acknowledged whatever its metadata says (Stripe would retry an error for
    # days): an id that is no id of ours ("abc", "²", 20 digits) finds nothing and is logged.
    named = event.metadata.get("attempt_id", "")
    attempt_id = parse_id(named)
    if named and attempt_id is None:
        log.warning("stripe event %s: metadata attempt_id %r is not an id", event.id, named[:40])
    attempt = session.get(PaymentAttempt, attempt_id) if attempt_id else None
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
            moves.end_approval(
                session, checkout, approve=False, actor_id=None, note="审批超时，采购单自动失效", now=now
            )
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
        released = moves.move_reservations(
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
    moves.complete_keys(session, checkout_id, now, status)
    session.commit()
    log.info("checkout %s: held stock expired, payment %s", checkout_id, status)
    if late_refund:
        execute_refund(session, late_refund)
    return 1
