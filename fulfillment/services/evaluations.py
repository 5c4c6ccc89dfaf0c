"""履约评价: within the window after acceptance the buyer rates the order (商品质量, 配送时效,
服务态度, 价格合理, 1-5 each, and a comment), once; the evaluation may be changed for a number of
hours, then it is final; the supplier answers it once. After the window the jobs loop records the
policy's default evaluation, marked as default (it weighs less in the scorecard).

Each action is one transaction. The order moves ACCEPTED → EVALUATED through
`orders.services.moves.move_order`; the evaluation is unique per order; a change or an answer is a
guarded UPDATE (still editable, not yet answered), so of two at once exactly one wins.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fulfillment import domain
from fulfillment.models import Evaluation, OrderFulfillment
from fulfillment.queries import acceptance as queries
from mall import audit, clock
from mall.accounts.models import User
from mall.errors import InvalidInputError
from mall.notifications import notify
from mall.policy.domain import beijing_date, is_past
from mall.policy.queries import terms_at
from orders.domain import OrderStatus, check_purpose_allowed
from orders.models import Order
from orders.services import moves

log = logging.getLogger(__name__)
COMMENT_LENGTH = Evaluation.comment.type.length
REPLY_LENGTH = Evaluation.supplier_reply.type.length


def _comment(text: object, length: int) -> str:
    value = (text if isinstance(text, str) else "").strip()
    if len(value) > length:
        raise InvalidInputError(f"内容不能超过{length}字")
    return value


def evaluate_order(
    session: Session,
    *,
    actor: User,
    order_id: object,
    quality: object,
    timeliness: object,
    service: object,
    price: object,
    comment: object = "",
) -> Evaluation:
    """The buyer's evaluation of an accepted order. Raises NotFoundError, PurposeNotAllowedError,
    InvalidScoreError, EvaluationClosedError, AlreadyEvaluatedError."""
    order = queries.get_order_for_buyer(session, actor, order_id)
    check_purpose_allowed(order.purpose, actor.roles, doing="评价")
    scores = domain.check_scores(quality, timeliness, service, price)
    text = _comment(comment, COMMENT_LENGTH)
    now = clock.now()
    record = session.get(OrderFulfillment, order.id, populate_existing=True)
    if order.status is OrderStatus.EVALUATED or (record is not None and record.evaluated_at is not None):
        raise domain.AlreadyEvaluatedError()
    if order.status is not OrderStatus.ACCEPTED or record is None or record.accepted_at is None:
        raise domain.EvaluationClosedError()
    terms = terms_at(session, now)
    domain.check_evaluation_open(record.accepted_at, now, terms)
    evaluation = _record(session, order, record, scores, text, actor_id=actor.id, now=now, terms=terms)
    audit.record(session, actor_id=actor.id, action="order.evaluate", target_type="order", target_id=order.id)
    for user_id in queries.supplier_user_ids(session, order.supplier_id):
        notify(session, user_id=user_id, text=f"订单 {order.number} 收到履约评价", link="/supplier/evaluations")
    session.commit()
    return evaluation


def _record(
    session: Session,
    order: Order,
    record: OrderFulfillment,
    scores: domain.Scores,
    comment: str,
    *,
    actor_id: int | None,
    now: datetime,
    terms,
) -> Evaluation:
    """Move the order to evaluated (or refuse: it was evaluated meanwhile) and write the evaluation."""
    default = actor_id is None
    moved = moves.move_order(
        session,
        order,
        now=now,
        to=OrderStatus.EVALUATED,
        when=(OrderStatus.ACCEPTED,),
        actor_id=actor_id,
        note="逾期未评价，系统记为默认评价" if default else "采购人已评价",
    )
    if not moved:
        raise domain.AlreadyEvaluatedError()
    evaluation = Evaluation(
        order_id=order.id,
        supplier_id=order.supplier_id,
        quality=scores.quality,
        timeliness=scores.timeliness,
        service=scores.service,
        price=scores.price,
        comment=comment,
        is_default=default,
        submitted_by_id=actor_id,
        submitted_at=now,
        editable_until=now if default else domain.evaluation_editable_until(now, terms),
    )
    session.add(evaluation)
    record.evaluated_at = now
    session.flush()
    return evaluation


def edit_evaluation(
    session: Session,
    *,
    actor: User,
    order_id: object,
    quality: object,
    timeliness: object,
    service: object,
    price: object,
    comment: object = "",
) -> Evaluation:
    """Change one's evaluation while it is still editable (24 hours), then it is final.
    Raises NotFoundError, InvalidScoreError, EvaluationFinalError."""
    order = queries.get_order_for_buyer(session, actor, order_id)
    check_purpose_allowed(order.purpose, actor.roles, doing="评价")
    evaluation = queries.evaluation_of(session, order.id)
    if evaluation is None:
        raise domain.EvaluationClosedError("该订单尚未评价")
    scores = domain.check_scores(quality, timeliness, service, price)
    text = _comment(comment, COMMENT_LENGTH)
    now = clock.now()
    domain.check_evaluation_editable(evaluation.editable_until, now)
    changed = session.execute(
        update(Evaluation)
        .where(
            Evaluation.id == evaluation.id,
            Evaluation.is_default.is_(False),
            Evaluation.editable_until >= now,
        )
        .values(**vars(scores), comment=text),
        execution_options={"synchronize_session": False},
    ).rowcount
    if changed != 1:
        raise domain.EvaluationFinalError()
    audit.record(session, actor_id=actor.id, action="evaluation.edit", target_type="order", target_id=order.id)
    session.commit()
    return queries.evaluation_of(session, order.id)


def reply_to_evaluation(session: Session, *, actor: User, evaluation_id: object, reply: object) -> Evaluation:
    """The supplier's one answer to an evaluation of its order. Raises NotFoundError,
    InvalidInputError (empty), AlreadyRepliedError."""
    evaluation = queries.get_evaluation_for_supplier(session, actor, evaluation_id)
    text = _comment(reply, REPLY_LENGTH)
    if not text:
        raise domain.ReplyRequiredError()
    now = clock.now()
    answered = session.execute(
        update(Evaluation)
        .where(Evaluation.id == evaluation.id, Evaluation.replied_at.is_(None))
        .values(supplier_reply=text, replied_by_id=actor.id, replied_at=now),
        execution_options={"synchronize_session": False},
    ).rowcount
    if answered != 1:
        raise domain.AlreadyRepliedError()
    order = session.get(Order, evaluation.order_id)
    notify(session, unit_id=order.unit_id, text=f"订单 {order.number} 的评价收到供应商回复", link=f"/orders/{order.id}")
    audit.record(
        session, actor_id=actor.id, action="evaluation.reply", target_type="evaluation", target_id=evaluation.id
    )
    session.commit()
    return queries.get_evaluation_for_supplier(session, actor, evaluation.id)


def record_default_evaluations(session: Session) -> int:
    """Job: accepted orders not evaluated by the end of the window get the policy's default
    evaluation ("满意"), marked as default. Each order in its own transaction."""
    now = clock.now()
    due = session.scalars(
        select(OrderFulfillment.order_id)
        .where(OrderFulfillment.evaluated_at.is_(None), OrderFulfillment.evaluation_due_on < beijing_date(now))
        .order_by(OrderFulfillment.evaluation_due_on, OrderFulfillment.order_id)
    ).all()
    done = 0
    for order_id in due:
        order = session.get(Order, order_id, populate_existing=True)
        record = session.get(OrderFulfillment, order_id, populate_existing=True)
        if order.status is not OrderStatus.ACCEPTED or not is_past(record.evaluation_due_on, now):
            continue
        terms = terms_at(session, now)
        try:
            _record(session, order, record, domain.default_scores(terms), "", actor_id=None, now=now, terms=terms)
        except domain.AlreadyEvaluatedError:
            session.rollback()
            continue
        session.commit()
        done += 1
    if done:
        log.info("%s default evaluations recorded", done)
    return done
