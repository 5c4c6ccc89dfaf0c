"""A package for tests only: it adds a field to the order detail answer, as fulfillment does."""

from __future__ import annotations

from pydantic import BaseModel

from mall.api_schema import AnswerPart, extend_answer


class ProbeOut(BaseModel):
    lines: int


def init_app(app) -> None:
    extend_answer(
        app,
        "order_detail",
        AnswerPart("probe", ProbeOut, lambda order: {"lines": len(order.lines)}, description="测试用"),
    )
