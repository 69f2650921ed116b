"""The errors the API answers with.

Every error a user can cause is an ``AppError``: it carries a stable ``code``, the HTTP
status, and a message in Vietnamese and in English. Adapters turn botocore errors into
these; ``chalicelib.api.http`` turns them into the one error body of the API contract::

    AppError
     ├── BadRequestError          400  malformed JSON, unknown query parameter value
     ├── ValidationError          422  a field is missing or wrong (``fields`` says which)
     ├── UnauthorizedError        401  no token, bad token, expired token
     ├── ForbiddenError           403  wrong role, wrong agency, not the owner
     ├── NotFoundError            404
     ├── ConflictError            409  the state changed under the caller
     ├── PayloadTooLargeError     413
     └── DependencyError          502/503/504  a system we call failed
"""

from __future__ import annotations


class AppError(Exception):
    code = "error"
    http_status = 500
    message = "Đã có lỗi xảy ra."
    message_en = "Something went wrong."

    def __init__(
        self,
        code: str | None = None,
        message: str | None = None,
        message_en: str | None = None,
        fields: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self.code = code or self.code
        self.message = message or self.message
        self.message_en = message_en or self.message_en
        self.fields = fields or {}
        super().__init__(self.code)

    def body(self) -> dict:
        return {
            "code": self.code,
            "message": self.message,
            "message_en": self.message_en,
            "fields": self.fields,
        }


class BadRequestError(AppError):
    code = "bad_request"
    http_status = 400
    message = "Yêu cầu không hợp lệ."
    message_en = "The request is malformed."


class ValidationError(AppError):
    code = "invalid_input"
    http_status = 422
    message = "Dữ liệu gửi lên chưa hợp lệ."
    message_en = "Some fields are missing or wrong."


class UnauthorizedError(AppError):
    code = "unauthorized"
    http_status = 401
    message = "Vui lòng đăng nhập."
    message_en = "Please sign in."


class ForbiddenError(AppError):
    code = "forbidden"
    http_status = 403
    message = "Bạn không có quyền thực hiện thao tác này."
    message_en = "You are not allowed to do this."


class NotFoundError(AppError):
    code = "not_found"
    http_status = 404
    message = "Không tìm thấy."
    message_en = "Not found."


class ConflictError(AppError):
    code = "conflict"
    http_status = 409
    message = "Dữ liệu đã thay đổi, vui lòng tải lại."
    message_en = "The data changed meanwhile; reload and try again."


class PayloadTooLargeError(AppError):
    code = "too_large"
    http_status = 413
    message = "Dữ liệu quá lớn."
    message_en = "The payload is too large."


class DependencyError(AppError):
    code = "dependency_failed"
    http_status = 502
    message = "Hệ thống liên quan đang gặp sự cố, vui lòng thử lại sau."
    message_en = "A system we depend on failed; try again later."


def field_error(name: str, vi: str, en: str) -> dict[str, dict[str, str]]:
    return {name: {"message": vi, "message_en": en}}
