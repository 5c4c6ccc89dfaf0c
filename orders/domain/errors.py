"""The orders errors. Their codes are a contract with API clients: never rename one."""

from __future__ import annotations

from mall.errors import ConflictError, DomainError, InvalidInputError, PermissionDeniedError

# ---- errors (codes are a contract) -------------------------------------------------------------


class InvalidQuantityError(InvalidInputError):
    code, message = "invalid_quantity", "数量须为1至100000之间的整数"


class BelowMinimumOrderError(InvalidInputError):
    code, message = "below_min_order_qty", "数量低于该商品的起订量"


class PackSizeError(InvalidInputError):
    code, message = "not_pack_multiple", "数量须为整件包装数的整数倍"


class StockInsufficientError(ConflictError):
    code, message = "stock_insufficient", "库存不足"


class ProductUnavailableError(ConflictError):
    code, message = "product_unavailable", "商品已下架或不存在"


class SupplierSuspendedError(PermissionDeniedError):
    code, message, http_status = "supplier_suspended", "该供应商已被暂停接单", 409


class PurposeNotAllowedError(PermissionDeniedError):
    code, message = "purpose_not_allowed", "您的角色不能按该用途采购"


# A shared cart holding only lines of purposes the user may not check out (PurposeNotAllowedError).
NOTHING_TO_CHECK_OUT = "购物车中没有您的角色可以结算的商品：其他用途的商品由本单位相应的采购人结算"


class InvalidPurposeError(InvalidInputError):
    code, message = "invalid_purpose", "用途须为 canteen（食堂食材）、union（工会福利）或 personal（个人采购）"


class CartEmptyError(InvalidInputError):
    code, message = "cart_empty", "购物车是空的"


class PriceChangedError(ConflictError):
    code, message = "price_changed", "部分商品价格已变动，请确认新价格后重新提交"


class ExpectedTotalMismatchError(ConflictError):
    code, message = "expected_total_mismatch", "应付总额与页面显示的不一致（购物车可能已被修改），请核对后重新提交"


class InvalidPaymentModeError(InvalidInputError):
    code, message = "invalid_payment_mode", "支付方式须为 card（公务卡）或 transfer（对公转账）"


class PaymentCardMissingError(ConflictError):
    code, message = "payment_card_missing", "尚未登记公务卡，请由单位管理员登记后再支付"


class PaymentFailedError(DomainError):
    code, message, http_status = "payment_failed", "公务卡支付失败，订单未生效，商品已退回购物车", 402


class PaymentUnavailableError(DomainError):
    code, message, http_status = "payment_unavailable", "支付服务暂时不可用，请稍后再试", 503


class PaymentInProgressError(ConflictError):
    code, message = "payment_in_progress", "支付结果确认中，请稍后再操作"


class OrderNotCancellableError(ConflictError):
    code, message = "order_not_cancellable", "订单已发货或已取消，不能取消"


class RefundExceedsPaidError(ConflictError):
    code, message = "refund_exceeds_paid", "退款金额超过可退金额"


class RefundFailedError(DomainError):
    code, message, http_status = "refund_failed", "退款未能完成，请稍后重试", 502


class ApprovalNotPendingError(ConflictError):
    code, message = "approval_not_pending", "该采购单不在待审批状态"


class TransferNotDueError(ConflictError):
    code, message = "transfer_not_awaited", "该订单不是待对公转账状态"


class InvalidIdempotencyKeyError(InvalidInputError):
    code, message = (
        "idempotency_key_invalid",
        "请在 Idempotency-Key 请求头中提供1-100位的字母、数字或 -_.: 组成的幂等键",
    )


class IdempotencyConflictError(ConflictError):
    code, message = "idempotency_conflict", "该幂等键已用于另一笔内容不同的结算请求"


class IdempotencyInProgressError(ConflictError):
    code, message = "idempotency_in_progress", "相同的结算请求仍在处理中，请稍后重试"


class CartChangedError(ConflictError):
    code, message = "cart_changed", "购物车已被本单位其他采购人修改，请刷新后重试"


class InvalidAddressError(InvalidInputError):
    code, message = "invalid_address", "收货地址不完整或格式不正确"


class InvalidDeliveryDateError(InvalidInputError):
    code, message = "invalid_delivery_date", "期望送达日期须在明天至90天之内"


class InvalidSettingsError(InvalidInputError):
    code, message = "invalid_purchase_settings", "采购设置不正确"


class WebhookSignatureError(InvalidInputError):
    code, message = "webhook_signature_invalid", "Webhook 签名校验失败"


class InvalidOrderFilterError(InvalidInputError):
    code, message = "invalid_order_filter", "筛选条件不正确"


class InvalidCardError(InvalidInputError):
    code, message = "invalid_card", "卡号、有效期或安全码不正确"


class SelfApprovalError(PermissionDeniedError):
    code, message = (
        "self_approval_not_allowed",
        "不能审批自己提交的采购单：须由本单位其他管理员或主管单位管理员审批（您可以取消该采购单的订单）",
    )
