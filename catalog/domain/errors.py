"""Every catalog error in one place, with its stable code: the codes are contracts with API
clients (`{"error": {"code": …}}`) and the pages show the messages. Like `orders/domain/errors.py`."""

from __future__ import annotations

from mall.errors import InvalidInputError, InvalidTransitionError, PermissionDeniedError


class ChangedMeanwhileError(InvalidTransitionError):
    """Two people acted on one object at once (two reviewers, a reviewer and the supplier): the
    other one's action won, and this one changed nothing. The message names the object."""

    code, message = "changed_meanwhile", "该记录刚刚已被他人处理，请刷新页面查看最新状态"


def changed_meanwhile(noun: str) -> ChangedMeanwhileError:
    return ChangedMeanwhileError(f"该{noun}刚刚已被他人处理（审核或修改），本次操作未生效，请刷新页面查看最新状态")


# ---- listings ----------------------------------------------------------------------------------


class ListingInvalidError(InvalidInputError):
    code, message = "listing_invalid", "商品信息不完整或不正确"


class CountyNotEligibleError(InvalidInputError):
    code, message = "county_not_eligible", "产地不是脱贫县或本省重点帮扶县，不能作为脱贫地区农副产品上架"


class SupplierNotInCountyError(InvalidInputError):
    code, message = "supplier_not_in_county", "供应商注册地与产地不一致：只能上架本县生产的产品"


class SupplierNotApprovedError(InvalidInputError):
    code, message = "supplier_not_approved", "供应商尚未通过平台审核，不能上架商品"


class ProgramMismatchError(InvalidInputError):
    code, message = "program_mismatch", "来源类型与产地不符"


class UnknownCategoryError(InvalidInputError):
    code, message = "unknown_category", "商品类别不存在"


class UnknownCountyError(InvalidInputError):
    code, message = "unknown_county", "产地县级行政区划代码不存在"


class EvidenceRequiredError(InvalidInputError):
    code, message = "price_evidence_required", "请提供价格佐证（同款商品在其他平台的价格链接或截图、文件）"


class SelfReviewError(PermissionDeniedError):
    code, message = "self_review_forbidden", "不能审核自己提交的商品"


class SkuTakenError(InvalidInputError):
    code, message, http_status = "sku_taken", "该供应商已有相同商品编码（SKU）的商品", 409


class RecommendationScopeError(PermissionDeniedError):
    code, message = "recommendation_out_of_scope", "只能推荐本辖区省级重点帮扶县的产品"


# ---- supplier onboarding -----------------------------------------------------------------------


class SupplierCountyNotEligibleError(InvalidInputError):
    code, message = "supplier_county_not_eligible", "注册地不是脱贫县或本省乡村振兴重点帮扶县，不能入驻本馆"


class ApplicationInvalidError(InvalidInputError):
    code, message = "application_invalid", "入驻申请信息不完整"


class ReasonRequiredError(InvalidInputError):
    code, message = "reason_required", "请填写原因"


class SupplierCodeTakenError(InvalidInputError):
    code, message, http_status = "credit_code_taken", "该统一社会信用代码已登记", 409


# ---- product lists -----------------------------------------------------------------------------


class InvalidListFilterError(InvalidInputError):
    code, message = "invalid_filter", "筛选条件不正确"


# ---- spreadsheet import ------------------------------------------------------------------------


class ImportFileError(InvalidInputError):
    code, message = "import_file_invalid", "文件无法导入"


# ---- product requests --------------------------------------------------------------------------


class RequestInvalidError(InvalidInputError):
    code, message = "product_request_invalid", "需求信息不完整"
