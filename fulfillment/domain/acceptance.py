"""What happens to rejected goods at acceptance (验收): they go back with the carrier, and
goods that keep (dry, ambient) return to the supplier's stock; chilled and frozen goods that were
refused cannot be sold again and are written off."""

from __future__ import annotations

from catalog.domain import Storage
from fulfillment.domain.rules import is_fresh
from mall.money import format_yuan


def returns_to_stock(storage: Storage) -> bool:
    """Whether refused goods of this storage go back on sale."""
    return not is_fresh(storage)


def acceptance_note(rejected_qty: int, refund_fen: int, *, automatic: bool) -> str:
    """The order history's line for an acceptance."""
    if automatic:
        return "逾期未验收，系统自动验收"
    if not rejected_qty:
        return "采购人已验收，全部收货"
    return f"采购人已验收，拒收 {rejected_qty} 件，退款 {format_yuan(refund_fen)}"
