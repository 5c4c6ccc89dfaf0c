"""Who decides a purchase above the unit's approval threshold, and purchases split into several
checkouts to stay under it (疑似拆分采购).

Four eyes: the one who placed a checkout never approves or rejects it. Another admin of the unit
decides, or an admin of its supervising unit (主管单位, `Unit.parent_id`); when the unit has no
admin besides the one who placed it, the supervising unit's admins are the ones asked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mall.accounts.domain import Role
from mall.errors import NotFoundError
from orders.domain.errors import SelfApprovalError
from orders.domain.states import UNIT_PURPOSES, Purpose

# ---- who decides -------------------------------------------------------------------------------


class ApproverKind(StrEnum):
    UNIT_ADMIN = "unit_admin"  # another admin of the unit that placed the checkout
    SUPERVISING_ADMIN = "supervising_admin"  # an admin of its supervising unit (主管单位)


APPROVER_LABELS = {ApproverKind.UNIT_ADMIN: "单位管理员", ApproverKind.SUPERVISING_ADMIN: "主管单位管理员"}


def approver_kind(
    *, approver_unit_id: int | None, approver_roles: Iterable[Role], unit_id: int, supervising_unit_id: int | None
) -> ApproverKind | None:
    """How a user stands to a unit's approvals: an admin of the unit, an admin of its supervising
    unit, or neither (None: the unit's checkouts are none of their business)."""
    if approver_unit_id is None or Role.UNIT_ADMIN not in set(approver_roles):
        return None
    if approver_unit_id == unit_id:
        return ApproverKind.UNIT_ADMIN
    if supervising_unit_id is not None and approver_unit_id == supervising_unit_id:
        return ApproverKind.SUPERVISING_ADMIN
    return None


def check_approver(
    *,
    approver_id: int,
    approver_unit_id: int | None,
    approver_roles: Iterable[Role],
    placed_by_id: int,
    unit_id: int,
    supervising_unit_id: int | None,
) -> ApproverKind:
    """Whether this user may approve or reject a checkout placed by `placed_by_id` in `unit_id`:
    an admin of the unit other than the one who placed it, or an admin of the supervising unit.

    Raises NotFoundError (neither: another unit's checkout is not shown), SelfApprovalError.
    """
    kind = approver_kind(
        approver_unit_id=approver_unit_id,
        approver_roles=approver_roles,
        unit_id=unit_id,
        supervising_unit_id=supervising_unit_id,
    )
    if kind is None:
        raise NotFoundError("未找到该采购单")
    if approver_id == placed_by_id:
        raise SelfApprovalError()
    return kind


def escalates(unit_admin_ids: Iterable[int], placed_by_ids: Iterable[int]) -> bool:
    """True when no admin of the unit is left to decide once those who placed the purchases are
    set aside: then the supervising unit's admins are asked (their approval list, notifications)."""
    return not set(unit_admin_ids) - set(placed_by_ids)


# ---- split purchases ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PurchasePart:
    """One order of a unit's checkout, as the split rule sees it."""

    checkout_id: int
    checkout_total_fen: int  # what the approval threshold was compared with
    placed_on: date  # the checkout's Beijing date
    supplier_id: int
    purpose: Purpose
    amount_fen: int  # the order's total


@dataclass(frozen=True)
class SuspectedSplit:
    placed_on: date
    supplier_id: int
    purpose: Purpose
    checkout_ids: tuple[int, ...]  # ascending
    total_fen: int


def suspected_splits(parts: Iterable[PurchasePart], *, threshold_fen: int | None) -> list[SuspectedSplit]:
    """Purchases that look split to stay under the approval threshold (疑似拆分采购).

    One purchase is what a unit buys from one supplier for one purpose (canteen or union) on one
    Beijing day: split, it shows as several checkouts that each stayed at or under the threshold
    (none needed approval) while their orders with that supplier for that purpose add up to more
    than it. Checkouts above the threshold went to approval and do not count; different suppliers
    or purposes on one day are different purchases (the canteen's vegetables and the union's
    festival oil), and flagging them would bury the admin in noise. No threshold, no flags.
    Ordered by day, supplier, purpose.
    """
    if threshold_fen is None:
        return []
    groups: dict[tuple[date, int, Purpose], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for part in parts:
        if part.purpose in UNIT_PURPOSES and part.checkout_total_fen <= threshold_fen:
            groups[part.placed_on, part.supplier_id, part.purpose][part.checkout_id] += part.amount_fen
    order = list(Purpose)
    return [
        SuspectedSplit(
            placed_on=day,
            supplier_id=supplier_id,
            purpose=purpose,
            checkout_ids=tuple(sorted(amounts)),
            total_fen=sum(amounts.values()),
        )
        for (day, supplier_id, purpose), amounts in sorted(
            groups.items(), key=lambda g: (*g[0][:2], order.index(g[0][2]))
        )
        if len(amounts) > 1 and sum(amounts.values()) > threshold_fen
    ]
