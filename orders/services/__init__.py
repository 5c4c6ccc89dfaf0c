"""Orders actions: one public function per user action, one transaction each; the only writer.

Split by subject (STYLE.md: a module past ~400 lines becomes a package of the same name):
`cart` (carts, addresses, purchase settings, saved cards), `ordering` (checkout with its
Idempotency-Key), `approvals` (another admin's approval, split purchases flagged),
`settlement` (card payments, webhooks, held stock), `refunds`
(cancellations, refunds, transfers), and `moves`, the conditional state changes they share.
Callers use `from orders import services` and the names below.
"""

from orders.services.approvals import approve_checkout, reject_checkout
from orders.services.cart import (
    accept_cart_prices,
    add_address,
    add_to_cart,
    register_payment_card,
    remove_cart_line,
    save_address,
    save_payment_card,
    update_cart_line,
    update_purchase_settings,
)
from orders.services.ordering import CheckoutRequest, checkout
from orders.services.refunds import (
    cancel_order,
    execute_refund,
    mark_transfer_paid,
    open_refund,
    refund_order,
    retry_pending_refunds,
)
from orders.services.settlement import apply_stripe_event, release_expired_holds

__all__ = [
    "CheckoutRequest",
    "accept_cart_prices",
    "add_address",
    "add_to_cart",
    "apply_stripe_event",
    "approve_checkout",
    "cancel_order",
    "checkout",
    "execute_refund",
    "mark_transfer_paid",
    "open_refund",
    "refund_order",
    "register_payment_card",
    "reject_checkout",
    "release_expired_holds",
    "remove_cart_line",
    "retry_pending_refunds",
    "save_address",
    "save_payment_card",
    "update_cart_line",
    "update_purchase_settings",
]
