"""The JSON API's schemas: what each /api/v1 route takes and answers, checked and documented at once.

Routes are decorated with `documented(...)` (spectree over pydantic v2): the query, the JSON body
and the headers a view declares (`def view(json: SomeIn)`) are validated before the view runs,
with bounds from `mall.bounds` and text limits from the columns; the same models make the OpenAPI
document (`mall.api_docs`). A refusal keeps the API's error shape, never the library's:
`{"error": {"code", "message", "details": [{"field", "message"}…]}}`, where the code is the
model's own (`invalid`, e.g. `invalid_filter`) or, for a value of the right type that breaks a
rule, the field's (`field_errors`, e.g. `invalid_quantity`); an id out of range names no object
and answers `not_found`, as the same id in a URL does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Annotated, Any, ClassVar

from flask import current_app, request
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr, create_model
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError
from spectree import Response, SecurityScheme, SecuritySchemeData, SpecTree
from spectree.model_adapter.pydantic_adapter import BaseFile
from spectree.models import SecureType
from spectree.plugins.base import Context
from spectree.plugins.flask_plugin import FlaskPlugin
from spectree.utils import get_multidict_items

from mall.bounds import MAX_DATE, MAX_ID, MAX_PAGE, MAX_PER_PAGE, MIN_DATE, column_length
from mall.errors import DomainError, InvalidInputError, NotFoundError


class JsonRequiredError(InvalidInputError):
    code, message = "json_required", "请求体须为 JSON 对象"


class InvalidPageError(InvalidInputError):
    code, message = "invalid_page", f"分页参数不正确（page 为1-{MAX_PAGE}，per_page 为1-{MAX_PER_PAGE}）"


class ResponseContractError(RuntimeError):
    """An answer that breaks its own documented schema (checked while testing)."""


# ---- field types -------------------------------------------------------------------------------


class _IdMark:
    """Marks a field as an id: out of range, it names no object (404), like an id in a URL."""


Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID), _IdMark()]
UploadFile = BaseFile  # a file field of a multipart form


def text(column: Any, *, min_length: int = 0, **field: Any) -> Any:
    """A JSON string no longer than `column` holds (`text(Product.spec)`), or than a bound's number."""
    limit = column if isinstance(column, int) else column_length(column)
    return Annotated[StrictStr, Field(min_length=min_length, max_length=limit, **field)]


def bounded(low: int, high: int, **field: Any) -> Any:
    """A JSON integer in low..high: `2.5`, `"6"`, `true`, `null` and `[1]` are refused."""
    return Annotated[StrictInt, Field(ge=low, le=high, **field)]


_DECIMAL = re.compile(r"^[0-9]{1,19}$")


def _decimal_text(value: Any) -> Any:
    # Query arguments are text: only ASCII digits make a number (no signs, spaces, "²", "1_000").
    if isinstance(value, str) and not _DECIMAL.match(value):
        raise PydanticCustomError("int_parsing", "须为整数")
    return value


def query_int(low: int, high: int, **field: Any) -> Any:
    """An integer query argument in low..high."""
    return Annotated[int, Field(ge=low, le=high, **field), BeforeValidator(_decimal_text)]


def _id_text(value: Any) -> Any:
    # Any run of ASCII digits is an id in form; one too long for the range names no object (404).
    if isinstance(value, str) and value.isascii() and value.isdecimal() and len(value) > 10:
        return MAX_ID + 1
    return _decimal_text(value)


# An id in a query string or a form field: digits only, and out of range it names no object (404).
QueryId = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_id_text), _IdMark()]


def _iso_date(value: Any) -> Any:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise PydanticCustomError("date_format", "须为 YYYY-MM-DD 格式的日期")
    return value


def _date_in_range(value: date) -> date:
    if not MIN_DATE <= value <= MAX_DATE:
        raise PydanticCustomError("date_range", "日期须在{low}至{high}之间", {"low": MIN_DATE, "high": MAX_DATE})
    return value


IsoDate = Annotated[
    date,
    BeforeValidator(_iso_date),
    AfterValidator(_date_in_range),
    Field(json_schema_extra={"formatMinimum": MIN_DATE.isoformat(), "formatMaximum": MAX_DATE.isoformat()}),
]
Page = query_int(1, MAX_PAGE, description="页码，从 1 开始")


def per_page_arg(default: int) -> Any:
    return query_int(1, MAX_PER_PAGE, description=f"每页条数（默认 {default}）")


PerPage = per_page_arg(20)


# ---- request models ----------------------------------------------------------------------------


class ApiModel(BaseModel):
    """A request's query, body or headers. Unknown keys are ignored; see the module for the codes."""

    model_config = ConfigDict(extra="ignore", use_enum_values=False)
    invalid: ClassVar[type[DomainError]] = InvalidInputError
    field_errors: ClassVar[Mapping[str, type[DomainError]]] = {}


class QueryModel(ApiModel):
    """Query arguments: an empty value (`?status=`) means the argument was not given; an argument
    the route does not know is refused (a typo like `?stauts=` would otherwise be silently ignored)."""

    model_config = ConfigDict(extra="forbid")

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in args.items() if v != ""}


class NoQuery(QueryModel):
    """不接受任何查询参数。"""


class PageQuery(QueryModel):
    field_errors: ClassVar[Mapping[str, type[DomainError]]] = {"page": InvalidPageError, "per_page": InvalidPageError}
    page: Page = 1
    per_page: PerPage = 20


_MESSAGES = {
    "missing": "必填",
    "int_type": "须为整数",
    "int_parsing": "须为整数",
    "int_from_float": "须为整数",
    "string_type": "须为文本",
    "bool_type": "须为 true 或 false",
    "bool_parsing": "须为 true 或 false",
    "list_type": "须为列表",
    "dict_type": "须为 JSON 对象",
    "model_type": "须为 JSON 对象",
    "model_attributes_type": "须为 JSON 对象",
    "greater_than_equal": "不能小于{ge}",
    "less_than_equal": "不能大于{le}",
    "greater_than": "须大于{gt}",
    "less_than": "须小于{lt}",
    "string_too_short": "至少{min_length}个字",
    "string_too_long": "不能超过{max_length}个字",
    "too_short": "至少{min_length}项",
    "too_long": "最多{max_length}项",
    "string_pattern_mismatch": "格式不正确",
    "enum": "只能是：{expected}",
    "literal_error": "只能是：{expected}",
    "date_parsing": "须为有效的日期",
    "extra_forbidden": "不支持该参数",
    "date_from_datetime_parsing": "须为有效的日期",
    "date_from_datetime_inexact": "须为有效的日期",
}
_RANGE_ERRORS = {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}


def _problem(error: Mapping[str, Any]) -> dict[str, str]:
    field = ".".join(str(part) for part in error["loc"]) or "body"
    template = _MESSAGES.get(error["type"])
    if template is not None:
        message = template.format(**{k: str(v).replace("'", "") for k, v in (error.get("ctx") or {}).items()})
    elif error["type"] in _OUR_TYPES:  # raised here with a Chinese message
        message = error["msg"]
    else:
        message = "取值不正确"
    return {"field": field, "message": message}


_OUR_TYPES = {"date_format", "date_range"}


def refusal(model: type[ApiModel], err: PydanticValidationError) -> DomainError:
    """The DomainError for a refused query, body or header set (module docstring: which code)."""
    errors = err.errors(include_url=False)
    problems = [_problem(e) for e in errors]
    first = errors[0]
    name = str(first["loc"][0]) if first["loc"] else ""
    kind = model.invalid
    if not (first["type"].endswith("_type") or first["type"] == "missing"):
        if name in model.field_errors:
            kind = model.field_errors[name]
        elif first["type"] in _RANGE_ERRORS and _is_id(model, name):
            kind = NotFoundError
    said = f"{problems[0]['field']} {problems[0]['message']}"
    if kind is InvalidInputError:
        message = said
    elif kind is model.invalid:
        message = f"{kind.message}：{said}"
    else:
        message = kind.message  # the field's own rule says it best (invalid_quantity, invalid_page…)
    refused = kind(message)
    refused.details = problems  # type: ignore[assignment]  # the handler answers them as "details"
    return refused


def _is_id(model: type[ApiModel], name: str) -> bool:
    field = model.model_fields.get(name)
    return field is not None and any(isinstance(m, _IdMark) for m in field.metadata)


def _validated(model: type[ApiModel] | None, data: Any) -> ApiModel | None:
    if model is None:
        return None
    try:
        return model.model_validate(data)
    except PydanticValidationError as err:
        raise refusal(model, err) from None


def _json_object(model: type[ApiModel]) -> dict[str, Any]:
    """The body as a JSON object; no body at all stands for `{}` when the model needs nothing."""
    body = request.get_json(silent=True)
    if body is None and not request.get_data(cache=True).strip():
        if any(f.is_required() for f in model.model_fields.values()):
            raise JsonRequiredError()
        return {}
    if not isinstance(body, dict):
        raise JsonRequiredError()
    return body


class MallFlaskPlugin(FlaskPlugin):
    """spectree's Flask plugin, speaking our error shape and checking answers only while testing."""

    def request_validation(self, request, query, json, form, headers, cookies):
        has_body = request.method not in ("GET", "DELETE")
        request.context = Context(
            _validated(query, query.from_args(get_multidict_items(request.args, query))) if query else None,
            _validated(json, _json_object(json)) if json and has_body else None,
            _validated(form, self.fill_form(request)) if form and has_body else None,
            _validated(headers, dict(request.headers.items())) if headers else None,
            None,
        )

    def validate_response(self, resp, resp_model, skip_validation, force_resp_serialize):
        check = current_app.config.get("API_CHECK_RESPONSES", False)
        return super().validate_response(resp, resp_model, skip_validation or not check, force_resp_serialize)

    def parse_path(self, route, path_parameter_descriptions):
        path, parameters = super().parse_path(route, path_parameter_descriptions)
        converters = getattr(route, "_converters", {})
        for parameter in parameters:
            converter = converters.get(parameter["name"])
            if parameter["schema"].get("type") == "integer" and converter is not None:
                parameter["schema"] |= {"minimum": converter.min, "maximum": converter.max}
        return path, parameters


def _after(req, resp, resp_validation_error, instance, model_adapter=None) -> None:
    if resp_validation_error is not None:
        raise ResponseContractError(f"{req.method} {req.path}: {resp_validation_error}")


def _name(model: Any) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", getattr(model, "__name__", str(model)))


# ---- answers -----------------------------------------------------------------------------------


class FieldProblem(BaseModel):
    field: str = Field(description="出错的字段（嵌套时以 . 连接，如 items.0.quantity）")
    message: str = Field(description="中文说明")


class ErrorDetail(BaseModel):
    code: str = Field(description="稳定的英文错误码，如 invalid_input、not_found、stock_insufficient")
    message: str = Field(description="给人看的中文说明")
    details: list[FieldProblem] | dict[str, Any] | None = Field(
        None, description="请求被拒时为逐字段说明的列表；部分业务错误为附加数据（如 min_order_qty）"
    )


class ErrorOut(BaseModel):
    """所有拒绝与错误的应答体（HTTP 4xx/5xx）。"""

    error: ErrorDetail


spec = SpecTree(
    "flask",
    backend=MallFlaskPlugin,
    mode="strict",
    title="脱贫地区农副产品馆 JSON API",
    version="v1",
    description=(
        "金额一律为整数“分”（字段名以 _fen 结尾），时间为带时区的 ISO 8601；列表为 "
        '{"items", "page", "per_page", "total"}；错误为 HTTP 4xx 与 {"error": {"code", "message", "details"} }，'
        "code 稳定不变、message 为中文。其他单位或供应商的对象一律答 404。"
    ),
    naming_strategy=_name,
    nested_naming_strategy=lambda _parent, child: child,
    validation_error_status=400,
    validation_error_model=ErrorOut,
    after=_after,
    security_schemes=[
        SecurityScheme(
            name="bearer",
            data=SecuritySchemeData(
                type=SecureType.HTTP, scheme="bearer", description="POST /api/v1/auth/token 换取的访问令牌"
            ),
        )
    ],
)


class Auth(Enum):
    """Who may call a route: anyone (a token is accepted, not needed) or a bearer of a token."""

    PUBLIC = [{}, {"bearer": []}]
    BEARER = [{"bearer": []}]


_ERROR_TEXT = {
    400: "请求不正确（参数、请求体或业务规则）",
    401: "未提供令牌、令牌无效或已失效",
    402: "支付失败",
    403: "没有权限",
    404: "对象不存在或不属于调用者",
    409: "与当前状态冲突",
    422: "无法处理",
    429: "请求过于频繁",
    502: "外部服务未能完成",
    503: "外部服务暂时不可用",
}


def documented(
    tag: str,
    auth: Auth,
    ok: Any = None,
    *,
    status: int = 200,
    errors: Iterable[int] = (),
    answers: Mapping[int, Any] | None = None,
) -> Callable:
    """Validate and document a route: `ok` is the model of its answer with `status`; `errors`
    the refusals it may give besides 400 (and 401/403 for a token's routes)."""
    if isinstance(ok, ExtensibleAnswer):
        answer = ok

        def defer(view: Callable) -> Callable:
            def make(model: type[BaseModel]) -> Callable:
                return documented(tag, auth, model, status=status, errors=errors, answers=answers)

            view._extensible_answer = (answer, make)
            return view

        return defer
    codes = {400, *errors} | ({401, 403} if auth is Auth.BEARER else set())
    models: dict[str, Any] = {f"HTTP_{c}": (ErrorOut, _ERROR_TEXT[c]) for c in sorted(codes)}
    models[f"HTTP_{status}"] = (ok, "成功")
    for code, model in (answers or {}).items():
        models[f"HTTP_{code}"] = model
    resp = Response(**models)

    def decorate(view: Callable) -> Callable:
        query = None if "query" in view.__annotations__ else NoQuery
        validate = spec.validate(query=query, resp=resp, tags=[tag], security=auth.value, operation_id=view.__name__)
        return validate(view)

    return decorate


# ---- answers other packages extend ---------------------------------------------------------------


@dataclass(frozen=True)
class AnswerPart:
    """A field a higher package adds to a lower package's answer (fulfillment's `shipments` on an
    order): its type for the document, and `build(**subject)` for its value."""

    field: str
    annotation: Any
    build: Callable[..., Any]
    description: str = ""


class ExtensibleAnswer:
    """The name and base model of an answer that higher packages may extend, without the lower
    package importing them: `documented(..., ExtensibleAnswer("order_detail", OrderDetailOut))`.

    The route is validated and documented once every package has registered its parts
    (`finish_answers`, called by the factory), with a model made of the base and the parts; the
    view adds the parts' values with `fill_answer`."""

    def __init__(self, name: str, base: type[BaseModel]) -> None:
        self.name, self.base = name, base


def _parts(app, name: str) -> list[AnswerPart]:
    return app.extensions.setdefault("api_answer_parts", {}).setdefault(name, [])


def extend_answer(app, name: str, part: AnswerPart) -> None:
    """Add a field to the extensible answer `name` of this app (call from a package's init_app)."""
    parts = _parts(app, name)
    if any(p.field == part.field for p in parts):
        raise ValueError(f"answer {name} already has a field {part.field}")
    parts.append(part)


def fill_answer(name: str, body: dict, **subject: Any) -> dict:
    """`body` with the registered parts' values of `name` for `subject` (e.g. `order=`)."""
    for part in _parts(current_app, name):
        body[part.field] = part.build(**subject)
    return body


def _extended_model(app, answer: ExtensibleAnswer) -> type[BaseModel]:
    parts = _parts(app, answer.name)
    if not parts:
        return answer.base
    fields = {p.field: (p.annotation, Field(description=p.description or None)) for p in parts}
    return create_model(answer.base.__name__, __base__=answer.base, **fields)


def finish_answers(app) -> None:
    """Validate and document the routes whose answers are extensible, now that every package has
    added its parts (each app wraps the view anew: the parts are the app's own)."""
    for endpoint, view in list(app.view_functions.items()):
        deferred = getattr(view, "_extensible_answer", None)
        if deferred is not None:
            answer, make = deferred
            app.view_functions[endpoint] = make(_extended_model(app, answer))(view)
