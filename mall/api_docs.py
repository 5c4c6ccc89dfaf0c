"""The API reference: `GET /api/v1/openapi.json` (OpenAPI 3.1, generated from the routes' schemas)
and `GET /api/v1/docs`, a page rendered from that document on the server.

The page is ours rather than Swagger UI or Redoc: no script, no stylesheet of its own, nothing
fetched from elsewhere (government intranets have no internet), Chinese headings, and it cannot
drift from the document because it is drawn from it on every start.
"""

from __future__ import annotations

import copy
from typing import Any

from flask import Blueprint, current_app, render_template

from mall.api_schema import Auth, documented, spec

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")
METHODS = ("get", "post", "put", "patch", "delete")


def openapi_document() -> dict[str, Any]:
    """The app's OpenAPI document, built once per app from spectree's and finished here."""
    document = current_app.extensions.get("openapi")
    if document is None:
        # spectree caches one document per process (`spec.spec`); ours is per app, because the
        # packages an app loads decide its routes and the parts of its answers.
        document = copy.deepcopy(spec._generate_spec())
        _optional_bodies(document)
        _plain_parameters(document)
        current_app.extensions["openapi"] = document
    return document


def _optional_bodies(document: dict[str, Any]) -> None:
    # A body whose every field has a default may be left out (POST …/delist with no reason).
    schemas = document["components"]["schemas"]
    for operation in _operations(document):
        body = operation.get("requestBody")
        if not body:
            continue
        for media in body["content"].values():
            ref = media["schema"].get("$ref", "")
            if ref and not schemas[ref.rsplit("/", 1)[1]].get("required"):
                body["required"] = False


def _plain_parameters(document: dict[str, Any]) -> None:
    # A query argument or header is given or left out, never "null": `X | None` is documented as X.
    for operation in _operations(document):
        for parameter in operation.get("parameters", []):
            schema = parameter["schema"]
            variants = [s for s in schema.get("anyOf", []) if s != {"type": "null"}]
            if len(variants) == 1 and len(schema["anyOf"]) == 2:
                del schema["anyOf"]
                schema.update({k: v for k, v in variants[0].items() if k not in schema})
            if schema.get("default", 0) is None:
                del schema["default"]
            if parameter["in"] == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True  # `?status=` means the argument was not given
            parameter["description"] = parameter.get("description") or schema.get("description", "")


def _operations(document: dict[str, Any]):
    for item in document["paths"].values():
        for method in METHODS:
            if method in item:
                yield item[method]


@bp.get("/openapi.json")
@documented("参考", Auth.PUBLIC)
def openapi_json():
    """本文档（OpenAPI 3.1）"""
    return openapi_document()


@bp.get("/docs")
@documented("参考", Auth.PUBLIC)
def reference():
    """API 参考页（由本文档生成的网页）"""
    document = openapi_document()
    return render_template(
        "mall/api_reference.html",
        info=document["info"],
        sections=_sections(document),
        schemas=[_schema_view(name, s) for name, s in sorted(document["components"]["schemas"].items())],
        page_title="API 参考",
    )


# ---- the page's data: the view prepares it, the template only loops ------------------------------


def _sections(document: dict[str, Any]) -> list[dict[str, Any]]:
    schemas = document["components"]["schemas"]
    by_tag: dict[str, list[dict[str, Any]]] = {}
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                operation = item[method]
                tag = (operation.get("tags") or ["其他"])[0]
                by_tag.setdefault(tag, []).append(_operation_view(path, method, operation, schemas))
    order = [*FIRST_TAGS, *(t for t in by_tag if t not in FIRST_TAGS and t not in LAST_TAGS), *LAST_TAGS]
    return [{"tag": tag, "operations": by_tag[tag]} for tag in order if tag in by_tag]


FIRST_TAGS = ("账户与令牌",)
LAST_TAGS = ("参考",)


def _operation_view(path: str, method: str, operation: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    body = operation.get("requestBody")
    bodies = [
        {
            "media": media,
            "type": describe(content["schema"]),
            "required": body.get("required", True),
            "fields": _schema_view("", schemas.get(describe(content["schema"]), {}))["fields"],
        }
        for media, content in (body or {}).get("content", {}).items()
    ]
    return {
        "anchor": operation["operationId"],
        "method": method.upper(),
        "path": path,
        "summary": operation.get("summary", ""),
        "description": operation.get("description", ""),
        "token": {"bearer": []} in operation.get("security", []),
        "token_required": {} not in operation.get("security", []),
        "parameters": [
            {
                "name": p["name"],
                "where": {"path": "路径", "query": "查询", "header": "请求头"}.get(p["in"], p["in"]),
                "type": describe(p["schema"]),
                "required": p.get("required", False),
                "description": p.get("description") or p["schema"].get("description", ""),
            }
            for p in operation.get("parameters", [])
        ],
        "bodies": bodies,
        "responses": [
            {
                "status": status,
                "description": answer.get("description", ""),
                "type": describe(answer["content"]["application/json"]["schema"]) if "content" in answer else "",
            }
            for status, answer in sorted(operation.get("responses", {}).items())
        ],
    }


def _schema_view(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    required = set(schema.get("required", []))
    names = sorted(schema.get("properties", {}), key=lambda field: field not in required)  # required first
    return {
        "name": name,
        "description": schema.get("description", ""),
        "enum": describe(schema) if "enum" in schema else "",
        "fields": [
            {
                "name": field,
                "type": describe(prop),
                "required": field in required,
                "description": prop.get("description", ""),
            }
            for field, prop in ((name, schema["properties"][name]) for name in names)
        ],
    }


def describe(schema: dict[str, Any]) -> str:
    """A schema in one line of Chinese-readable text: `integer 1–100`, `string 0–120 字`, `X[]`."""
    if not isinstance(schema, dict):  # `additionalProperties: true`
        return "any"
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[1]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            variants = [s for s in schema[key] if s != {"type": "null"}]
            nullable = "（可为空）" if len(variants) < len(schema[key]) else ""
            return " | ".join(describe(s) for s in variants) + nullable
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if "const" in schema:
        return str(schema["const"])
    kind = schema.get("type", "any")
    if kind == "array":
        return describe(schema.get("items", {})) + "[]"
    if kind == "object" and "additionalProperties" in schema:
        return "{string: " + describe(schema["additionalProperties"]) + "}"
    limits = []
    if "minimum" in schema or "maximum" in schema:
        limits.append(f"{schema.get('minimum', '')}–{schema.get('maximum', '')}")
    if "maxLength" in schema:
        limits.append(f"{schema.get('minLength', 0)}–{schema['maxLength']} 字")
    if "pattern" in schema:
        limits.append(f"格式 {schema['pattern']}")
    if "format" in schema:
        limits.append(schema["format"])
    return " ".join([kind, *limits])
