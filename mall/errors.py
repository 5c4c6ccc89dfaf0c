"""Domain errors with stable codes. Pure: no Flask, so domain.py modules can raise them.

The `code` of each error is a contract with API clients: never rename one.
"""

from __future__ import annotations


class DomainError(Exception):
    code = "domain_error"
    message = "操作未能完成"
    http_status = 422

    def __init__(self, message: str | None = None, **details: object) -> None:
        self.message = message or type(self).message
        self.details = details
        super().__init__(self.message)


class NotFoundError(DomainError):
    code, message, http_status = "not_found", "未找到该对象", 404


class InvalidInputError(DomainError):
    code, message, http_status = "invalid_input", "输入不正确", 400


class PermissionDeniedError(DomainError):
    code, message, http_status = "permission_denied", "没有权限执行此操作", 403


class AuthenticationError(DomainError):
    code, message, http_status = "authentication_failed", "用户名或密码错误", 401


class LoginThrottledError(DomainError):
    code, message, http_status = "login_throttled", "登录失败次数过多，请稍后再试", 429


class ConflictError(DomainError):
    code, message, http_status = "conflict", "数据冲突，请刷新后重试", 409


class InvalidTransitionError(DomainError):
    code, message, http_status = "invalid_transition", "当前状态下不能执行此操作", 409

    def __init__(self, message: str | None = None, *, current: object = None, new: object = None) -> None:
        super().__init__(message, current=str(current), new=str(new))


def all_error_classes() -> list[type[DomainError]]:
    """Every DomainError subclass loaded so far (a test checks their codes are unique)."""
    found: list[type[DomainError]] = []
    pending = [DomainError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found
