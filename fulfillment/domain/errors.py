"""The fulfillment errors. Their codes are a contract with API clients: never rename one.

A refund larger than what is left to refund is `orders.domain.RefundExceedsPaidError`
(`refund_exceeds_paid`), and a suspended supplier at checkout `orders.domain.SupplierSuspendedError`
(`supplier_suspended`), raised here too: one code for one rule wherever it is met."""

from __future__ import annotations

from mall.errors import ConflictError, DomainError, InvalidInputError, NotFoundError
from orders.domain.errors import RefundExceedsPaidError, SupplierSuspendedError  # noqa: F401 - one namespace

# ---- shipping ----------------------------------------------------------------------------------


class OrderNotShippableError(ConflictError):
    code, message = "order_not_shippable", "该订单不在待发货状态，不能发货"


class NothingToShipError(InvalidInputError):
    code, message = "nothing_to_ship", "请至少为一个订单行填写大于0的发货数量"


class UnknownOrderLineError(InvalidInputError):
    code, message = "unknown_order_line", "订单行不属于该订单"


class QuantityExceedsOrderedError(ConflictError):
    code, message = "quantity_exceeds_ordered", "发货数量累计超过订购数量"


class UnknownCarrierError(InvalidInputError):
    code, message = "unknown_carrier", "未知的承运商"


class ColdChainRequiredError(DomainError):
    code, message = "cold_chain_required", "冷藏、冷冻商品须由冷链承运商配送"


class InvalidTrackingNumberError(InvalidInputError):
    code, message = "invalid_tracking_no", "运单号格式与承运商不符"


class TrackingNumberTakenError(ConflictError):
    code, message = "tracking_no_taken", "该承运商的运单号已被使用"


# ---- carrier events (the webhook) ----------------------------------------------------------------


class BadSignatureError(DomainError):
    code, message, http_status = "bad_signature", "承运商签名校验失败", 401


class InvalidCarrierEventError(InvalidInputError):
    code, message = "invalid_carrier_event", "物流事件格式不正确"


class UnknownTrackingNumberError(NotFoundError):
    code, message = "unknown_tracking_no", "未找到该运单号"


# ---- acceptance --------------------------------------------------------------------------------


class NotDeliveredError(ConflictError):
    code, message = "not_delivered", "订单尚未全部送达，不能验收"


class AcceptanceClosedError(ConflictError):
    code, message = "acceptance_closed", "该订单已验收或已过验收期限"


class InvalidAcceptanceError(InvalidInputError):
    code, message = "invalid_acceptance", "每个订单行的验收数量与拒收数量之和须等于送达数量"


class RejectionReasonRequiredError(InvalidInputError):
    code, message = "rejection_reason_required", "拒收须填写原因"


# ---- evaluations -------------------------------------------------------------------------------


class InvalidScoreError(InvalidInputError):
    code, message = "invalid_score", "各项评分须为1至5的整数"


class EvaluationClosedError(ConflictError):
    code, message = "evaluation_closed", "该订单不在评价期内"


class AlreadyEvaluatedError(ConflictError):
    code, message = "already_evaluated", "该订单已评价"


class EvaluationFinalError(ConflictError):
    code, message = "evaluation_final", "评价提交已超过可修改时限，不能再修改"


class AlreadyRepliedError(ConflictError):
    code, message = "already_replied", "供应商已回复过该评价"


# ---- after-sales -------------------------------------------------------------------------------


class AftersalesWindowClosedError(ConflictError):
    code, message = "aftersales_window_closed", "已超过售后申请期限"


class AftersalesCaseOpenError(ConflictError):
    code, message = "aftersales_case_open", "该订单行已有处理中的售后申请"


class AftersalesQuantityError(InvalidInputError):
    code, message = "aftersales_quantity_exceeds_accepted", "售后数量不能超过已验收数量"


class AftersalesNotAcceptedError(ConflictError):
    code, message = "aftersales_order_not_accepted", "订单验收后才能申请售后"


class AftersalesCaseChangedError(ConflictError):
    code, message = "aftersales_case_changed", "该售后申请的状态已变化，请刷新后再试"


class AftersalesNoteRequiredError(InvalidInputError):
    code, message = "aftersales_note_required", "请填写原因或说明"


class InvalidRulingRefundError(InvalidInputError):
    code, message = "invalid_ruling_refund", "裁决退款金额须在0至申请金额之间"


class AftersalesRefundNotFailedError(ConflictError):
    code, message = "aftersales_refund_not_failed", "该售后退款不在失败待处理状态"


# ---- payables and standing ---------------------------------------------------------------------


class PaymentTermTooLongError(InvalidInputError):
    code, message = "payment_term_too_long", "合同付款期限不能超过政策规定的最长期限"


class InvalidDisputeError(InvalidInputError):
    code, message = "invalid_dispute_amount", "争议金额须在0至未付金额之间"


class ReplyRequiredError(InvalidInputError):
    code, message = "reply_required", "请填写回复内容"


class StandingReasonRequiredError(InvalidInputError):
    code, message = "standing_reason_required", "暂停或恢复供应商须填写原因"


class SupplierNotSuspendedError(ConflictError):
    code, message = "supplier_not_suspended", "该供应商未处于暂停状态"


class SupplierAlreadySuspendedError(ConflictError):
    code, message = "supplier_already_suspended", "该供应商已被暂停或尚未入驻"


class PayableChangedError(ConflictError):
    code, message = "payable_changed", "该应付款的状态已变化，请刷新后再试"
