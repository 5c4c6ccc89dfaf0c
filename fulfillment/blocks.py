"""What fulfillment adds to other pages and to the jobs loop: dashboard blocks, navigation links
and the time-driven jobs. A list of small functions, one per part."""

from __future__ import annotations

from flask import Flask

from fulfillment import services
from mall import jobs


def _aftersales_jobs() -> None:
    jobs.register_job("fulfillment.escalate_overdue_cases", services.escalate_overdue_cases)
    jobs.register_job("fulfillment.retry_failed_refunds", services.retry_failed_refunds)


def init_app(app: Flask) -> None:
    _aftersales_jobs()
