"""Catalog states and kinds: source programs, storage, product and supplier lifecycles."""

from __future__ import annotations

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


def ensure_product_transition(current: ProductStatus, new: ProductStatus) -> None:
    if new not in PRODUCT_TRANSITIONS[current]:
        raise InvalidTransitionError(current=current, new=new)


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


class EntityType(StrEnum):
    ENTERPRISE = "enterprise"
    COOPERATIVE = "cooperative"
    FAMILY_FARM = "family_farm"


ENTITY_TYPE_LABELS = {
    EntityType.ENTERPRISE: "企业",
    EntityType.COOPERATIVE: "农民专业合作社",
    EntityType.FAMILY_FARM: "家庭农场",
}
