"""What the catalog's JSON API takes and answers (products, search, listings): mall.api_schema models.

Input bounds come from `mall.bounds` and text limits from the columns, so the API refuses what the
database could not hold; the domain checks (`check_listing`, `parse_list_filters`) still decide
the rules and the codes beyond the shape.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, Field

from catalog.domain import ListingInvalidError, ProductStatus, SourceProgram, Storage
from catalog.domain.filters import MAX_QUERY_LENGTH, InvalidListFilterError, SortKey
from catalog.models import Category, PriceEvidence, Product
from mall.api import PageOut
from mall.api_schema import ApiModel, Id, PageQuery, QueryId, QueryModel, UploadFile, bounded, query_int, text
from mall.bounds import (
    MAX_AMOUNT_FEN,
    MAX_DAYS,
    MAX_ID,
    MAX_LONG_TEXT,
    MAX_NET_CONTENT,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUANTITY,
    MAX_STOCK,
    MAX_UNIT_PRICE_FEN,
)
from mall.errors import DomainError

RegionCode = Annotated[str, Field(pattern=r"^[0-9]{6}$", description="6 位行政区划代码")]
Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,30}$", description="商品类别 slug，如 grain-oil")]

# ---- products and search -----------------------------------------------------------------------


class ProductQuery(QueryModel):
    """商品筛选（与页面相同，价格以分计）；任何一项不正确都答 invalid_filter。"""

    invalid: ClassVar[type[DomainError]] = InvalidListFilterError
    category: Slug | None = None
    province: RegionCode | None = None
    county: RegionCode | None = None
    program: SourceProgram | None = Field(None, description="来源：国家脱贫县、对口帮扶、省重点帮扶县")
    storage: Storage | None = Field(None, description="储存方式：常温、冷藏、冷冻")
    national_key: Literal["0", "1"] | None = Field(None, description="1：只看国家乡村振兴重点帮扶县")
    price_min_fen: query_int(0, MAX_AMOUNT_FEN, description="最低价（分）") | None = None
    price_max_fen: query_int(0, MAX_AMOUNT_FEN, description="最高价（分）") | None = None
    q: str | None = Field(None, max_length=MAX_QUERY_LENGTH, description="标题或描述中的词")
    sort: SortKey | None = Field(None, description="排序；搜索时 default 为相关度")
    page: query_int(1, MAX_PAGE, description="页码") = 1
    per_page: query_int(1, MAX_PER_PAGE, description="每页条数（默认 20）") = 20


class SupplierBrief(BaseModel):
    id: int
    name: str


class SupplierOut(SupplierBrief):
    county_code: str
    county: str


class ProductOut(BaseModel):
    id: int
    sku: str
    title: str
    category: str = Field(description="类别 slug")
    category_name: str
    spec: str = Field(description="规格，如 5kg/袋")
    sale_unit: str
    net_content: int = Field(description="每个销售单位的净含量（克或毫升）")
    net_content_unit: Literal["g", "ml"]
    price_fen: int
    per_kilo_fen: int | None = Field(description="每千克（或每升）价格，分；规格无重量时为空值")
    stock_qty: int
    min_order_qty: int
    pack_size: int = Field(description="须按此数量的整数倍购买")
    sales_qty: int
    origin_county_code: str
    county: str
    province_code: str
    province: str
    program: SourceProgram
    program_name: str
    cert_no: str
    storage: Storage
    shelf_life_days: int
    status: ProductStatus
    supplier: SupplierOut
    created_at: datetime | None


class ProductDetailOut(ProductOut):
    similar_ids: list[int] = Field(description="同县在售商品")


class ProductPage(PageOut):
    items: list[ProductOut]


class SearchItemOut(BaseModel):
    id: int
    title: str
    price_fen: int
    county: str
    province: str
    highlight: str = Field(description="已转义的标题，命中的词在 <mark> 中")
    snippet: str = Field(description="描述中命中处附近的片段，同样转义")
    score: float
    spec: str
    sale_unit: str
    per_kilo_fen: int | None
    category: str
    program: SourceProgram
    storage: Storage
    sales_qty: int
    supplier: SupplierBrief
    url: str = Field(description="商品页面的路径")


class FacetOut(BaseModel):
    value: str
    count: int
    label: str


class SearchOut(PageOut):
    items: list[SearchItemOut]
    facets: dict[str, list[FacetOut]] = Field(
        description="各维度的计数：category、province、county、program、storage、price_band"
    )
    suggestion: str | None = Field(description="无结果时建议的查询（如 马玲薯 → 马铃薯）")
    partial: bool = Field(description="没有商品匹配全部词时，为只匹配部分词的结果")
    words: list[str]
    engine: Literal["whoosh", "database"]


# ---- listings ----------------------------------------------------------------------------------

Price = bounded(1, MAX_UNIT_PRICE_FEN, description="单价（分）")
Stock = bounded(0, MAX_STOCK, description="库存")
Count = bounded(1, MAX_QUANTITY)
EvidenceUrl = text(PriceEvidence.url, min_length=1)


class _ListingFields(ApiModel):
    invalid: ClassVar[type[DomainError]] = ListingInvalidError
    net_content: bounded(0, MAX_NET_CONTENT, description="净含量（克或毫升）；0 表示从规格推算") = None
    net_content_unit: Literal["g", "ml"] = None
    min_order_qty: Count = None
    pack_size: Count = None
    cert_no: text(Product.cert_no) = None
    storage: Storage = None
    shelf_life_days: bounded(1, MAX_DAYS, description="保质期（天）") = None
    season: text(Product.season) = None
    description: text(MAX_LONG_TEXT) = None
    price_evidence_urls: list[EvidenceUrl] = Field(None, max_length=10, description="价格依据链接（新品至少一条）")
    price_evidence_url: EvidenceUrl = Field(None, description="只有一条链接时可用此字段")


class ListingIn(_ListingFields):
    """新商品。省略的字段取默认值；任何字段都不接受空值。"""

    sku: text(Product.sku, min_length=1)
    title: text(Product.title, min_length=1)
    category: text(Category.slug, min_length=1)
    spec: text(Product.spec, min_length=1)
    sale_unit: text(Product.sale_unit, min_length=1)
    price_fen: Price
    stock_qty: Stock
    origin_county_code: Annotated[str, Field(pattern=r"^[0-9]{6}$")]
    program: SourceProgram
    supplier_id: Id = Field(None, description="供销社代供应商上架时必填")


class ListingPatch(_ListingFields):
    """商品的改动：只改给出的字段（SKU 不可改）。"""

    title: text(Product.title, min_length=1) = None
    category: text(Category.slug, min_length=1) = None
    spec: text(Product.spec, min_length=1) = None
    sale_unit: text(Product.sale_unit, min_length=1) = None
    price_fen: Price = None
    stock_qty: Stock = None
    origin_county_code: Annotated[str, Field(pattern=r"^[0-9]{6}$")] = None
    program: SourceProgram = None


class ListingQuery(PageQuery):
    invalid: ClassVar[type[DomainError]] = ListingInvalidError
    status: ProductStatus | None = Field(None, description="按状态筛选")
    review: Literal["pending"] | None = Field(None, description="pending：待审核队列（与运营审核页相同）")


class ReasonIn(ApiModel):
    reason: text(Product.reject_reason) = Field("", description="理由（驳回时必填）")


Revision = bounded(0, MAX_ID, description="列表中看到的 revision：商品此后又有改动时拒绝（409）")


class RevisionIn(ApiModel):
    invalid: ClassVar[type[DomainError]] = ListingInvalidError
    revision: Revision | None = None


class ReviewIn(ReasonIn, RevisionIn):
    pass


class ImportForm(ApiModel):
    invalid: ClassVar[type[DomainError]] = ListingInvalidError
    file: UploadFile = Field(description="xlsx 或 csv 文件（模板见供应商后台）")
    mode: Literal["all", "good_rows"] = Field("all", description="all：有错则全部不导入；good_rows：只导入无错的行")
    supplier_id: QueryId = Field(None, description="供销社代供应商导入时的供应商")


class ImportQuery(QueryModel):
    invalid: ClassVar[type[DomainError]] = ListingInvalidError
    mode: Literal["all", "good_rows"] | None = Field(None, description="同表单字段 mode（两处任给其一）")


class EvidenceOut(BaseModel):
    url: str
    document: bool = Field(description="是否附有上传的文件")
    note: str


class FieldChangeOut(BaseModel):
    field: str
    label: str = Field(description="字段的中文名")
    from_: Any = Field(alias="from", description="原值（价格为分、地区为代码、类别为 slug）")
    to: Any = Field(description="新值")


class PendingChangeOut(BaseModel):
    id: int
    fields: list[str] = Field(description="等待审核的字段")
    submitted_at: datetime
    changes: list[FieldChangeOut]
    photo_ids: list[int] = Field(description="随改动提交、待审核的照片")


class ListingOut(ProductOut):
    reject_reason: str | None
    revision: int = Field(description="每次修改或审核加一")
    reviewed_price_fen: int | None = Field(description="上次审核通过的价格（涨价幅度以此计）")
    pending_change: PendingChangeOut | None
    twin_of_id: int | None = Field(description="疑似重复的本供应商商品")
    price_evidence: list[EvidenceOut]


class ListingUpdateOut(ListingOut):
    sent_to_review: bool = Field(description="改动是否须经平台审核（审核前商品照旧在售）")


class ListingPage(PageOut):
    items: list[ListingOut]


class ImportRowError(BaseModel):
    row: int
    column: str
    message: str


class ImportOut(BaseModel):
    created: int
    updated: int
    sent_to_review: int
    errors: list[ImportRowError]
    written: bool
    total_rows: int


def listing_values(data: ApiModel) -> dict[str, Any]:
    """The fields a request gave, under ListingInput's names (`category` → `category_slug`)."""
    given = data.model_dump(exclude_unset=True, exclude={"price_evidence_urls", "price_evidence_url", "supplier_id"})
    if "category" in given:
        given["category_slug"] = given.pop("category")
    return given
