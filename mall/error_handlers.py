"""One handler for every route: domain errors become JSON under /api/, a flash and redirect on pages.

Every handler rolls back first, so an error never leaves half a transaction behind.
"""

from __future__ import annotations

import logging

from flask import Flask, flash, jsonify, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from mall.errors import DomainError, NotFoundError
from mall.extensions import db
from mall.redirects import redirect_to_referrer

log = logging.getLogger(__name__)

HTTP_MESSAGES = {
    400: ("bad_request", "请求格式不正确"),
    401: ("authentication_required", "请先登录"),
    403: ("permission_denied", "没有权限访问该页面"),
    404: ("not_found", "页面或对象不存在"),
    405: ("method_not_allowed", "不支持该请求方式"),
    413: ("payload_too_large", "上传的文件过大"),
    429: ("too_many_requests", "请求过于频繁，请稍后再试"),
    500: ("internal_error", "系统内部错误，请稍后再试"),
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/webhooks/")


def error_json(code: str, message: str, status: int, **extra):
    body = {"error": {"code": code, "message": message, **extra}}
    return jsonify(body), status


def handle_domain_error(err: DomainError):
    db.session.rollback()
    log.info("domain error %s on %s %s", err.code, request.method, request.path)
    if wants_json():
        extra = {"details": err.details} if err.details else {}
        return error_json(err.code, err.message, err.http_status, **extra)
    if isinstance(err, NotFoundError):
        return render_template("mall/error.html", status=404, message=err.message), 404
    flash(err.message, "error")
    return redirect_to_referrer(url_for("mall.home"))


def handle_http_error(err: HTTPException):
    db.session.rollback()
    status = err.code or 500
    code, message = HTTP_MESSAGES.get(status, ("http_error", "请求未能完成"))
    if isinstance(err, CSRFError):
        code, message = "csrf_failed", "页面已过期或表单校验失败，请刷新页面后重试"
    if wants_json():
        return error_json(code, message, status)
    if status == 401:
        return redirect(url_for("accounts.login", next=request.full_path))
    return render_template("mall/error.html", status=status, message=message), status


def handle_unexpected(err: Exception):
    db.session.rollback()
    log.exception("unexpected error on %s %s", request.method, request.path)
    code, message = HTTP_MESSAGES[500]
    if wants_json():
        return error_json(code, message, 500)
    return render_template("mall/error.html", status=500, message=message), 500


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
