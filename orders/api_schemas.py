"""What the orders' JSON API takes and answers (cart, addresses, checkout, orders): mall.api_schema models.

Error codes stay those the API always gave: a quantity out of range is `invalid_quantity`, an
unknown purpose `invalid_purpose`, a bad address `invalid_address`, a bad Idempotency-Key
`idempotency_key_invalid`, a bad order filter `invalid_order_filter`; the wrong JSON type is
`invalid_input`; an id out of range is `not_found`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, ClassVar

from pydantic import BaseModel, Field, StrictBool

from mall.api import PageOut
from mall.api_schema import ApiModel, Id, IsoDate, PageQuery, QueryModel, bounded, query_int, text
from mall.bounds import MAX_AMOUNT_FEN, MAX_ID, MAX_QUANTITY
from mall.errors import DomainError
from orders.domain import (
    InvalidAddressError,
    InvalidDeliveryDateError,
    InvalidIdempotencyKeyError,
    InvalidOrderFilterError,
    InvalidPaymentModeError,
    InvalidPurposeError,
    InvalidQuantityError,
)
from orders.domain.states import (
    ApprovalStatus,
    AttemptStatus,
    CartKind,
    OrderStatus,
    PaymentMode,
    PaymentStatus,
    Purpose,
    RefundStatus,
)
from orders.models import Checkout, Order, UnitAddress

Quantity = bounded(1, MAX_QUANTITY, description="数量（销售单位）")

# ---- cart --------------------------------------------------------------------------------------


class CartQuery(QueryModel):
    cart: CartKind | None = Field(None, description="unit：本单位购物车（默认）；personal：职工个人购物车")


class CartItemIn(ApiModel):
    field_errors: ClassVar[dict[str, type[DomainError]]] = {
        "quantity": InvalidQuantityError,
        "purpose": InvalidPurposeError,
    }
    product_id: Id
    quantity: Quantity
    purpose: Purpose = Field(description="canteen 食堂食材、union 工会福利、personal 个人采购")


class QuantityIn(ApiModel):
    field_errors: ClassVar[dict[str, type[DomainError]]] = {"quantity": InvalidQuantityError}
    quantity: Quantity


class CartItemOut(BaseModel):
    id: int
    product_id: int
    title: str
    supplier_id: int
    quantity: int
    purpose: Purpose
    price_fen: int = Field(description="今日单价")
    seen_price_fen: int = Field(description="采购人加入或确认时看到的单价")
    price_changed: bool
    line_total_fen: int
    added_by: str = Field(description="加入者姓名")
    added_by_id: int
    added_at: datetime | None
    purpose_allowed: bool = Field(description="调用者的角色可以处理该用途的商品（修改、删除、结算）")


class CartOut(BaseModel):
    cart: CartKind
    items: list[CartItemOut]
    total_fen: int
    checkout_total_fen: int = Field(
        description="调用者结算时将带走的商品合计（其用途允许的行），即下单的 expected_total_fen"
    )
    price_changed: bool = Field(description="有商品价格变动，结算前须确认（POST /cart/accept-prices）")


class AcceptedOut(BaseModel):
    accepted: int = Field(description="确认了新价格的行数")


# ---- addresses ---------------------------------------------------------------------------------


class AddressIn(ApiModel):
    invalid: ClassVar[type[DomainError]] = InvalidAddressError
    label: text(UnitAddress.label) = Field("", description="如 机关食堂；留空为“收货地址”")
    recipient: text(UnitAddress.recipient, min_length=1)
    phone: text(UnitAddress.phone, min_length=1) = Field(description="11 位手机号或带区号的固定电话")
    detail: text(UnitAddress.detail, min_length=1) = Field(description="详细地址，5–200 字")
    is_default: StrictBool = False


class AddressOut(BaseModel):
    id: int
    label: str
    recipient: str
    phone: str
    detail: str
    region_code: str | None
    is_default: bool


class AddressList(BaseModel):
    items: list[AddressOut]


# ---- checkout and approvals --------------------------------------------------------------------


class CheckoutHeaders(ApiModel):
    invalid: ClassVar[type[DomainError]] = InvalidIdempotencyKeyError
    idempotency_key: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{1,100}$")] = Field(
        alias="Idempotency-Key", description="同一键、同一请求体重放第一次的结果；不同请求体答 409"
    )


class CheckoutIn(ApiModel):
    field_errors: ClassVar[dict[str, type[DomainError]]] = {
        "payment_mode": InvalidPaymentModeError,
        "delivery_on": InvalidDeliveryDateError,
    }
    address_id: Id
    payment_mode: PaymentMode = Field(description="card 公务卡在线支付；transfer 对公转账")
    expected_total_fen: bounded(0, MAX_AMOUNT_FEN) = Field(description="页面显示的应付总额（分），须与服务器算的一致")
    cart: CartKind | None = None
    delivery_on: IsoDate | None = Field(None, description="期望送达日期（北京时间，明天至 90 天内）")
    note: text(Order.note) = Field("", description="给供应商的备注")


class NoteIn(ApiModel):
    note: text(Checkout.decision_note) = Field("", description="审批意见")


class OrderOut(BaseModel):
    id: int
    number: str | None = Field(description="订单号")
    checkout_id: int
    supplier_id: int
    supplier: str
    unit_id: int | None
    purpose: Purpose
    status: OrderStatus
    payment_status: PaymentStatus
    payment_mode: PaymentMode
    total_fen: int
    paid_fen: int
    refunded_fen: int
    created_at: datetime | None
    placed_at: datetime | None
    paid_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str


class CheckoutOut(BaseModel):
    checkout_id: int
    total_fen: int
    payment_mode: PaymentMode
    approval_status: ApprovalStatus
    orders: list[OrderOut] = Field(description="每个供应商（及用途）一张订单")


# ---- orders ------------------------------------------------------------------------------------


class OrderQuery(PageQuery):
    invalid: ClassVar[type[DomainError]] = InvalidOrderFilterError
    status: OrderStatus | None = None
    purpose: Purpose | None = None
    from_: IsoDate | None = Field(None, alias="from", description="下单日期起（北京时间，含）")
    to: IsoDate | None = Field(None, description="下单日期止（北京时间，含）")
    checkout: query_int(1, MAX_ID, description="结算单编号") | None = None


class ReasonIn(ApiModel):
    reason: text(Order.cancel_reason) = Field("", description="取消原因")


class ShipToOut(BaseModel):
    name: str
    phone: str
    address: str


class InvoiceOut(BaseModel):
    title: str
    tax_id: str


class OrderLineOut(BaseModel):
    id: int = Field(description="订单行编号（发货、验收、售后按它指明商品）")
    product_id: int
    title: str
    spec: str
    sale_unit: str
    unit_price_fen: int
    quantity: int
    line_total_fen: int
    refunded_fen: int


class PaymentOut(BaseModel):
    id: int
    amount_fen: int
    status: AttemptStatus
    created_at: datetime | None


class RefundOut(BaseModel):
    id: int
    amount_fen: int
    status: RefundStatus
    reason: str


class HistoryOut(BaseModel):
    status: OrderStatus
    payment_status: PaymentStatus
    note: str
    at: datetime | None
    by: str | None


class SplitPurchaseOut(BaseModel):
    placed_on: date = Field(description="北京时间的下单日期")
    supplier_id: int
    purpose: Purpose
    checkout_ids: list[int]
    total_fen: int = Field(description="同日同供应商同用途、各自低于审批金额的结算合计")
    threshold_fen: int = Field(description="单位的审批金额")


class OrderDetailOut(OrderOut):
    ship_to: ShipToOut
    delivery_on: date | None
    invoice: InvoiceOut
    payment_due_on: date | None
    note: str
    lines: list[OrderLineOut]
    payments: list[PaymentOut]
    refunds: list[RefundOut]
    history: list[HistoryOut]
    split_purchase: SplitPurchaseOut | None = Field(description="疑似拆分采购的标记；没有则为空值")


class OrderPage(PageOut):
    items: list[OrderOut]
