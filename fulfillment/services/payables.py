"""Paying suppliers on time (不得拖欠): the unit admin marks a payable paid (a guarded UPDATE: of
two clicks one pays), with the late interest owed at that moment; the part an after-sales case
disputes is held while the rest stays due, and a case's refund on an unpaid payable shrinks it.

`shrink_for_refund` and `recompute_dispute` run inside the after-sales actions' transactions.
"""

from __future__ import annotations

import logging

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from fulfillment import domain
from fulfillment.domain import OPEN_AFTERSALES, PayableStatus
from fulfillment.models import AftersalesCase, Payable
from fulfillment.queries import payables as queries
from fulfillment.queries.aftersales import supplier_member_ids
from mall import audit, clock, transitions
from mall.accounts.models import User
from mall.money import format_yuan
from mall.notifications import notify
from mall.policy.queries import terms_at
from orders.domain import PaymentStatus
from orders.models import Order
from orders.services import moves

log = logging.getLogger(__name__)
UNPAID = (PayableStatus.DUE, PayableStatus.HELD)


def mark_paid(session: Session, *, actor: User, payable_id: int) -> Payable:
    """The unit admin records the transfer of what is due: the undisputed rest, with the late
    interest accrued by today. A disputed part stays held (the payable is then HELD). Raises
    NotFoundError, PayableChangedError."""
    payable = queries.get_payable_for_admin(session, actor, payable_id)
    now = clock.now()
    seen = queries.figures(payable, now, terms_at(session, now))
    paying = payable.amount_fen - payable.paid_fen - payable.disputed_fen
    interest = seen.interest_fen - payable.interest_paid_fen
    to = PayableStatus.HELD if payable.disputed_fen else PayableStatus.PAID
    moved = transitions.move(
        session,
        Payable,
        payable.id,
        frm=(PayableStatus.DUE,),
        to=to,
        ensure=domain.ensure_payable_transition,
        where=(Payable.paid_fen == payable.paid_fen, Payable.disputed_fen == payable.disputed_fen),
        paid_fen=Payable.paid_fen + paying,
        interest_paid_fen=Payable.interest_paid_fen + interest,
        paid_by_id=actor.id,
        paid_at=now,
    )
    if not moved:
        raise domain.PayableChangedError()
    _record_on_order(session, payable, paying + interest, actor_id=actor.id)
    text = f"订单 {payable.order.number} 的货款已付 {format_yuan(paying)}" + (
        f"，含逾期利息 {format_yuan(interest)}" if interest else ""
    )
    for user_id in supplier_member_ids(session, payable.supplier_id):
        notify(session, text=text, link="/payables", user_id=user_id)
    audit.record(
        session,
        actor_id=actor.id,
        action="payable.paid",
        target_type="payable",
        target_id=payable.id,
        paid_fen=paying,
        interest_fen=interest,
    )
    session.commit()
    log.info("payable %s: %s fen paid (+%s interest) by %s", payable.id, paying, interest, actor.id)
    return payable


def _record_on_order(session: Session, payable: Payable, fen: int, *, actor_id: int) -> None:
    order = session.get(Order, payable.order_id)
    note = f"对公转账付款 {format_yuan(fen)}"
    if order.payment_status is PaymentStatus.AWAITING_TRANSFER:
        moves.move_order(
            session,
            order,
            now=clock.now(),
            pay=PaymentStatus.PAID,
            when_paid=(PaymentStatus.AWAITING_TRANSFER,),
            actor_id=actor_id,
            note=note,
            paid_fen=payable.paid_fen,
            paid_at=clock.now(),
        )
    else:
        paid = max(order.paid_fen, payable.paid_fen)  # finance may have confirmed the transfer already
        moves.move_order(session, order, now=clock.now(), actor_id=actor_id, note=note, paid_fen=paid)


# ---- inside after-sales actions ------------------------------------------------------------------


def shrink_for_refund(session: Session, order_id: int, fen: int) -> bool:
    """A case's refund on a transfer order whose payable still owes at least that much: the
    payable shrinks instead of money moving (one guarded UPDATE). False when it cannot."""
    if fen <= 0:
        return False
    shrunk = session.execute(
        update(Payable)
        .where(Payable.order_id == order_id, Payable.status.in_(UNPAID), Payable.amount_fen - Payable.paid_fen >= fen)
        .values(
            amount_fen=Payable.amount_fen - fen,
            disputed_fen=case(
                (
                    Payable.disputed_fen > Payable.amount_fen - Payable.paid_fen - fen,
                    Payable.amount_fen - Payable.paid_fen - fen,
                ),
                else_=Payable.disputed_fen,
            ),
        ),
        execution_options={"synchronize_session": False},
    ).rowcount
    return shrunk == 1


def recompute_dispute(session: Session, order_id: int) -> None:
    """The held part of an order's payable is what its cases in progress ask back (within what is
    unpaid). A held payable whose dispute is over is paid up, or falls due again for the rest."""
    payable = session.scalar(
        select(Payable).where(Payable.order_id == order_id).execution_options(populate_existing=True)
    )
    if payable is None or payable.status is PayableStatus.PAID:
        return
    asked = session.scalar(
        select(func.coalesce(func.sum(AftersalesCase.refund_fen), 0)).where(
            AftersalesCase.order_id == order_id, AftersalesCase.status.in_(tuple(OPEN_AFTERSALES))
        )
    )
    unpaid = payable.amount_fen - payable.paid_fen
    held = min(asked, unpaid)
    status = payable.status
    if not unpaid:
        status = PayableStatus.PAID
    elif status is PayableStatus.HELD and not held:
        status = PayableStatus.DUE
    values = {"disputed_fen": held}
    if status is payable.status:
        session.execute(
            update(Payable).where(Payable.id == payable.id).values(**values),
            execution_options={"synchronize_session": False},
        )
    else:
        transitions.move(
            session,
            Payable,
            payable.id,
            frm=(payable.status,),
            to=status,
            ensure=domain.ensure_payable_transition,
            **values,
        )
    session.expire(payable)


# ---- jobs ---------------------------------------------------------------------------------------


def remind_overdue_payables(session: Session) -> int:
    """Job: a payable that has just passed its due date is announced once to its unit (its admin
    pays) and to the supplier; the lists show it red from then on with its interest."""
    now = clock.now()
    done = 0
    for payable in session.scalars(queries.newly_overdue_select(now)):
        text = f"订单 {payable.order.number} 的货款已逾期（应于 {payable.due_on:%Y-%m-%d} 前支付），逾期利息按日计算"
        notify(session, text=text, link=queries.reminder_link(payable.id), unit_id=payable.unit_id)
        for user_id in supplier_member_ids(session, payable.supplier_id):
            notify(session, text=text, link=queries.reminder_link(payable.id), user_id=user_id)
        done += 1
    session.commit()
    return done
