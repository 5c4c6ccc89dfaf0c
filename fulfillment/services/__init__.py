"""Fulfillment actions: one module per flow, one public function per user action or job, one
transaction each (the module docstrings say which rows each guards). The after-sales and payables
actions are also named here."""

from fulfillment.services.aftersales import (
    CaseRequest,
    answer_case,
    complete_replacement,
    decide_case,
    escalate_case,
    escalate_overdue_cases,
    may_complete_replacement,
    open_case,
    retry_failed_refunds,
    settle_refund_by_hand,
)
from fulfillment.services.payables import mark_paid, remind_overdue_payables

__all__ = [
    "CaseRequest",
    "answer_case",
    "complete_replacement",
    "decide_case",
    "escalate_case",
    "escalate_overdue_cases",
    "mark_paid",
    "may_complete_replacement",
    "open_case",
    "remind_overdue_payables",
    "retry_failed_refunds",
    "settle_refund_by_hand",
]
