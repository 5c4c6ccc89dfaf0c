"""Catalog states and kinds: source programs, storage, and the lifecycles of listings, listing
changes, suppliers, product requests and import jobs, each with its Chinese labels and its
transition table. Every state change in the services is a guarded UPDATE checked against these."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from mall.errors import InvalidTransitionError


class SourceProgram(StrEnum):
    NATIONAL_POVERTY = "national_poverty"  # 国家脱贫县 (832)
    COUNTERPART = "counterpart"  # 对口帮扶/东西部协作地区
    PROVINCIAL_KEY = "provincial_key"  # 本省乡村振兴重点帮扶县


PROGRAM_LABELS = {
    SourceProgram.NATIONAL_POVERTY: "国家脱贫县",
    SourceProgram.COUNTERPART: "对口帮扶",
    SourceProgram.PROVINCIAL_KEY: "省重点帮扶县",
}


class Storage(StrEnum):
    AMBIENT = "ambient"
    CHILLED = "chilled"
    FROZEN = "frozen"


STORAGE_LABELS = {Storage.AMBIENT: "常温", Storage.CHILLED: "冷藏", Storage.FROZEN: "冷冻"}


class ProductStatus(StrEnum):
    DRAFT = "draft"
    PENDING = "pending"  # 待审核
    APPROVED = "approved"  # on the storefront
    REJECTED = "rejected"
    DELISTED = "delisted"  # 下架


PRODUCT_STATUS_LABELS = {
    ProductStatus.DRAFT: "草稿",
    ProductStatus.PENDING: "待审核",
    ProductStatus.APPROVED: "已上架",
    ProductStatus.REJECTED: "已驳回",
    ProductStatus.DELISTED: "已下架",
}

PRODUCT_TRANSITIONS: dict[ProductStatus, frozenset[ProductStatus]] = {
    ProductStatus.DRAFT: frozenset({ProductStatus.PENDING}),
    ProductStatus.PENDING: frozenset({ProductStatus.APPROVED, ProductStatus.REJECTED}),
    ProductStatus.APPROVED: frozenset({ProductStatus.DELISTED, ProductStatus.PENDING}),
    ProductStatus.REJECTED: frozenset({ProductStatus.PENDING}),
    ProductStatus.DELISTED: frozenset({ProductStatus.APPROVED, ProductStatus.PENDING}),
}


def _ensure(table: Mapping[StrEnum, frozenset], labels: Mapping[StrEnum, str], current: StrEnum, new: StrEnum) -> None:
    if new not in table[current]:
        raise InvalidTransitionError(
            f"当前状态为“{labels[current]}”，不能改为“{labels[new]}”", current=current, new=new
        )


def ensure_product_transition(current: ProductStatus, new: ProductStatus) -> None:
    _ensure(PRODUCT_TRANSITIONS, PRODUCT_STATUS_LABELS, current, new)


class ChangeStatus(StrEnum):
    """A ListingChange: an edit of a listing on sale waiting for the operator."""

    PENDING = "pending"  # 待审核: the listing sells with its old values meanwhile
    APPROVED = "approved"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"  # a newer edit replaced it before anyone reviewed it


CHANGE_STATUS_LABELS = {
    ChangeStatus.PENDING: "待审核",
    ChangeStatus.APPROVED: "已通过",
    ChangeStatus.REJECTED: "已驳回",
    ChangeStatus.SUPERSEDED: "已被新的修改取代",
}

CHANGE_TRANSITIONS: dict[ChangeStatus, frozenset[ChangeStatus]] = {
    ChangeStatus.PENDING: frozenset({ChangeStatus.APPROVED, ChangeStatus.REJECTED, ChangeStatus.SUPERSEDED}),
    ChangeStatus.APPROVED: frozenset(),
    ChangeStatus.REJECTED: frozenset(),
    ChangeStatus.SUPERSEDED: frozenset(),
}


def ensure_change_transition(current: ChangeStatus, new: ChangeStatus) -> None:
    _ensure(CHANGE_TRANSITIONS, CHANGE_STATUS_LABELS, current, new)


class SupplierStatus(StrEnum):
    APPLIED = "applied"  # 自愿申请
    RECOMMENDED = "recommended"  # 县级推荐
    APPROVED = "approved"  # 平台审核通过: may list
    DECLINED = "declined"
    SUSPENDED = "suspended"


SUPPLIER_STATUS_LABELS = {
    SupplierStatus.APPLIED: "已申请",
    SupplierStatus.RECOMMENDED: "县级已推荐",
    SupplierStatus.APPROVED: "已入驻",
    SupplierStatus.DECLINED: "未通过",
    SupplierStatus.SUSPENDED: "已暂停",
}

SUPPLIER_TRANSITIONS: dict[SupplierStatus, frozenset[SupplierStatus]] = {
    SupplierStatus.APPLIED: frozenset({SupplierStatus.RECOMMENDED, SupplierStatus.DECLINED}),
    SupplierStatus.RECOMMENDED: frozenset({SupplierStatus.APPROVED, SupplierStatus.DECLINED}),
    SupplierStatus.APPROVED: frozenset({SupplierStatus.SUSPENDED}),
    SupplierStatus.SUSPENDED: frozenset({SupplierStatus.APPROVED}),
    SupplierStatus.DECLINED: frozenset(),
}


def ensure_supplier_transition(current: SupplierStatus, new: SupplierStatus) -> None:
    _ensure(SUPPLIER_TRANSITIONS, SUPPLIER_STATUS_LABELS, current, new)


class RequestStatus(StrEnum):
    """商品上架需求: a unit's request for a product the mall lacks."""

    OPEN = "open"  # 待分派: waits for the platform operator
    ASSIGNED = "assigned"  # the cooperative is finding a supplier
    LISTED = "listed"  # answered with a listing on sale
    CLOSED = "closed"  # closed with a reason the unit sees


REQUEST_STATUS_LABELS = {
    RequestStatus.OPEN: "待分派",
    RequestStatus.ASSIGNED: "供销社对接中",
    RequestStatus.LISTED: "已上架",
    RequestStatus.CLOSED: "已关闭",
}

REQUEST_TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    RequestStatus.OPEN: frozenset({RequestStatus.ASSIGNED, RequestStatus.CLOSED}),
    RequestStatus.ASSIGNED: frozenset({RequestStatus.LISTED, RequestStatus.CLOSED}),
    RequestStatus.LISTED: frozenset(),
    RequestStatus.CLOSED: frozenset(),
}


def ensure_request_transition(current: RequestStatus, new: RequestStatus) -> None:
    _ensure(REQUEST_TRANSITIONS, REQUEST_STATUS_LABELS, current, new)


class ImportStatus(StrEnum):
    """A queued spreadsheet import, run by the jobs loop."""

    QUEUED = "queued"
    RUNNING = "running"  # claimed by one jobs loop
    DONE = "done"
    FAILED = "failed"


IMPORT_STATUS_LABELS = {
    ImportStatus.QUEUED: "排队中",
    ImportStatus.RUNNING: "导入中",
    ImportStatus.DONE: "已完成",
    ImportStatus.FAILED: "失败",
}

IMPORT_TRANSITIONS: dict[ImportStatus, frozenset[ImportStatus]] = {
    ImportStatus.QUEUED: frozenset({ImportStatus.RUNNING}),
    ImportStatus.RUNNING: frozenset({ImportStatus.DONE, ImportStatus.FAILED}),
    ImportStatus.DONE: frozenset(),
    ImportStatus.FAILED: frozenset(),
}


def ensure_import_transition(current: ImportStatus, new: ImportStatus) -> None:
    _ensure(IMPORT_TRANSITIONS, IMPORT_STATUS_LABELS, current, new)


class EntityType(StrEnum):
    ENTERPRISE = "enterprise"
    COOPERATIVE = "cooperative"
    FAMILY_FARM = "family_farm"


ENTITY_TYPE_LABELS = {
    EntityType.ENTERPRISE: "企业",
    EntityType.COOPERATIVE: "农民专业合作社",
    EntityType.FAMILY_FARM: "家庭农场",
}
