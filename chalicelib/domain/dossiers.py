"""Dossier lookup in a unit's one-stop system: connectors are data, not code.

A connector says which dossier codes a unit holds, how to ask its one-stop system
(URL, method, headers and body with ``{code}`` and ``{id_number}`` placeholders), and
where the answer keeps each field (JMESPath). This module checks a connector,
renders a request from it and reads an answer with it; it does no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote, urlsplit

import jmespath
from jmespath.exceptions import JMESPathError

from chalicelib.errors import ValidationError, field_error

PLACEHOLDERS = ("code", "id_number")
MAX_TIMEOUT = 8.0
DEFAULT_TIMEOUT = 5.0
MAX_RESULT = 500
FIELDS = ("status", "received_date", "due_date", "result")

# Vietnamese dossier codes look like 000.00.24.H34-251203-0001; other units use
# their own forms, so only the characters and the length are checked here.
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{3,63}$")
# CCCD (12 digits), CMND (9), passports (a letter and 7 digits).
ID_NUMBER = re.compile(r"^[A-Za-z0-9]{6,20}$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

# Our stable statuses and their labels; connectors map their own values onto them.
STATUSES = {
    "received": ("Đã tiếp nhận", "Received"),
    "processing": ("Đang xử lý", "In progress"),
    "additional_info": ("Yêu cầu bổ sung hồ sơ", "More documents requested"),
    "done": ("Đã có kết quả", "Result ready"),
    "returned": ("Đã trả kết quả", "Result handed over"),
    "rejected": ("Từ chối giải quyết", "Refused"),
    "withdrawn": ("Đã rút hồ sơ", "Withdrawn"),
    "unknown": ("Chưa xác định", "Unknown"),
}
FINISHED = {"done", "returned", "rejected", "withdrawn"}


@dataclass(frozen=True)
class Connector:
    """A checked connector, ready to render requests and read answers."""

    id: str
    data: dict

    def holds(self, code: str) -> bool:
        pattern = self.data.get("code_pattern")
        if pattern and re.fullmatch(pattern, code):
            return True
        return any(code.startswith(p) for p in self.data.get("code_prefixes", ()))

    @property
    def timeout(self) -> float:
        return float(self.data.get("timeout", DEFAULT_TIMEOUT))

    def request(self, code: str, id_number: str | None) -> dict:
        """Method, URL, headers and body (JSON or None) for one lookup."""
        values = {"code": code, "id_number": id_number or ""}
        url = _PLACEHOLDER.sub(
            lambda m: quote(values[m.group(1)], safe=""), self.data["url"]
        )
        headers = {
            k: _fill(v, values) for k, v in (self.data.get("headers") or {}).items()
        }
        body = self.data.get("body")
        return {
            "method": self.data.get("method", "GET"),
            "url": url,
            "headers": headers,
            "json": None if body is None else _fill(body, values),
        }

    def is_not_found(self, http_status: int, answer: object) -> bool:
        rule = self.data.get("not_found") or {}
        if http_status in rule.get("http_status", [404]):
            return True
        empty = rule.get("empty", self.data["fields"]["status"])
        return http_status < 300 and jmespath.search(empty, answer) in (
            None,
            "",
            [],
            {},
        )

    def read(self, answer: object, today: date) -> dict:
        """The mapped fields of an answer, and nothing else from it."""
        found = {
            name: jmespath.search(expr, answer)
            for name, expr in self.data["fields"].items()
        }
        raw_status = "" if found.get("status") is None else str(found["status"])
        status = self.data.get("status_map", {}).get(raw_status.strip(), "unknown")
        received = _date(found.get("received_date"), self.data.get("date_format"))
        due = _date(found.get("due_date"), self.data.get("date_format"))
        result = found.get("result")
        result = None if result in (None, "") else str(result)[:MAX_RESULT]
        label, label_en = STATUSES[status]
        return {
            "status": {"code": status, "label": label, "label_en": label_en},
            "received_date": received.isoformat() if received else None,
            "due_date": due.isoformat() if due else None,
            "result": result,
            "overdue": bool(due and status not in FINISHED and due < today),
        }


def _fill(template: object, values: dict[str, str]) -> object:
    """Placeholders replaced in every string of a header or a JSON body template."""
    if isinstance(template, str):
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)
    if isinstance(template, list):
        return [_fill(v, values) for v in template]
    if isinstance(template, dict):
        return {k: _fill(v, values) for k, v in template.items()}
    return template


def _date(value: object, fmt: str | None) -> date | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        if fmt:
            return datetime.strptime(text, fmt).date()
        return datetime.fromisoformat(text).date()
    except ValueError:
        # An unreadable date is shown as missing rather than failing the lookup.
        return None


def _strings_in(template: object) -> list[str]:
    if isinstance(template, str):
        return [template]
    if isinstance(template, list):
        return [s for v in template for s in _strings_in(v)]
    if isinstance(template, dict):
        return [s for v in template.values() for s in _strings_in(v)]
    return []


def _placeholders_ok(texts: list[str]) -> bool:
    for text in texts:
        if any(name not in PLACEHOLDERS for name in _PLACEHOLDER.findall(text)):
            return False
        if "{" in _PLACEHOLDER.sub("", text) or "}" in _PLACEHOLDER.sub("", text):
            return False
    return True


def _names(body: dict, errors: dict) -> dict:
    out = {}
    for name in ("name", "name_en"):
        value = body.get(name)
        if not isinstance(value, str) or not value.strip() or len(value) > 200:
            errors.update(
                field_error(
                    name,
                    "Vui lòng nhập tên (tối đa 200 ký tự).",
                    "A name of at most 200 characters is required.",
                )
            )
        else:
            out[name] = value.strip()
    return out


def _jmespath(expr: object) -> bool:
    if not isinstance(expr, str) or not expr.strip() or len(expr) > 300:
        return False
    try:
        jmespath.compile(expr)
    except JMESPathError:
        return False
    return True


def check_connector(item_id: str, body: object) -> Connector:
    """A connector from an administrator's JSON, or 422 naming each wrong field."""
    body = body if isinstance(body, dict) else {}
    errors: dict[str, dict[str, str]] = {}
    data = _names(body, errors)

    # TODO: any regular expression is taken, even a slow one: only administrators
    # write them, and codes are at most 64 characters.
    pattern, prefixes = body.get("code_pattern"), body.get("code_prefixes")
    if pattern is not None:
        try:
            if not isinstance(pattern, str) or len(pattern) > 200:
                raise re.error("not a string")
            re.compile(pattern)
            data["code_pattern"] = pattern
        except re.error:
            errors.update(
                field_error(
                    "code_pattern",
                    "Biểu thức chính quy không hợp lệ.",
                    "The regular expression is invalid.",
                )
            )
    if prefixes is not None:
        if (
            not isinstance(prefixes, list)
            or not prefixes
            or not all(isinstance(p, str) and 0 < len(p) <= 64 for p in prefixes)
        ):
            errors.update(
                field_error(
                    "code_prefixes",
                    "Danh sách tiền tố mã hồ sơ không hợp lệ.",
                    "code_prefixes must be a list of non-empty strings.",
                )
            )
        else:
            data["code_prefixes"] = prefixes
    if pattern is None and prefixes is None:
        errors.update(
            field_error(
                "code_pattern",
                "Cần code_pattern hoặc code_prefixes để biết đơn vị giữ mã nào.",
                "code_pattern or code_prefixes is required.",
            )
        )

    url = body.get("url")
    parts = urlsplit(url) if isinstance(url, str) else None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.netloc
        or len(url) > 500
        or not _placeholders_ok([url])
    ):
        errors.update(
            field_error(
                "url",
                "Địa chỉ phải bắt đầu bằng http:// hoặc https:// và chỉ dùng "
                "{code}, {id_number}.",
                "The URL must be http(s) and use only {code} and {id_number}.",
            )
        )
    else:
        data["url"] = url

    method = body.get("method", "GET")
    if method not in ("GET", "POST"):
        errors.update(
            field_error(
                "method", "Phương thức là GET hoặc POST.", "method is GET or POST."
            )
        )
    data["method"] = method

    for name in ("headers", "body"):
        value = body.get(name)
        if value is None:
            continue
        ok = isinstance(value, dict) and _placeholders_ok(_strings_in(value))
        if name == "headers":
            ok = ok and all(isinstance(v, str) for v in value.values())
        if name == "body" and method != "POST":
            ok = False
        if not ok:
            errors.update(
                field_error(
                    name,
                    "Mẫu phải là đối tượng JSON, chỉ dùng {code}, {id_number} "
                    "(body chỉ với POST).",
                    "A JSON object using only {code} and {id_number} "
                    "(body with POST only).",
                )
            )
        else:
            data[name] = value

    timeout = body.get("timeout", DEFAULT_TIMEOUT)
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, (int, float))
        or not 0 < timeout <= MAX_TIMEOUT
    ):
        errors.update(
            field_error(
                "timeout",
                f"Thời gian chờ từ 0 đến {MAX_TIMEOUT:g} giây.",
                f"timeout is between 0 and {MAX_TIMEOUT:g} seconds.",
            )
        )
    else:
        data["timeout"] = timeout

    fields = body.get("fields")
    if not isinstance(fields, dict) or "status" not in fields:
        errors.update(
            field_error(
                "fields",
                "Cần biểu thức JMESPath cho ít nhất trường status.",
                "fields needs at least a JMESPath expression for status.",
            )
        )
    else:
        for name, expr in fields.items():
            if name not in FIELDS or not _jmespath(expr):
                errors.update(
                    field_error(
                        f"fields.{name}",
                        "Tên trường hoặc biểu thức JMESPath không hợp lệ.",
                        "Unknown field or invalid JMESPath expression.",
                    )
                )
        data["fields"] = fields

    status_map = body.get("status_map", {})
    if not isinstance(status_map, dict) or not all(
        isinstance(k, str) and v in STATUSES for k, v in status_map.items()
    ):
        errors.update(
            field_error(
                "status_map",
                "Mỗi trạng thái phải ánh xạ tới: " + ", ".join(STATUSES) + ".",
                "Each status must map to one of: " + ", ".join(STATUSES) + ".",
            )
        )
    else:
        data["status_map"] = {k.strip(): v for k, v in status_map.items()}

    not_found = body.get("not_found")
    if not_found is not None:
        statuses = (
            not_found.get("http_status", [404]) if isinstance(not_found, dict) else None
        )
        ok = (
            isinstance(statuses, list)
            and all(isinstance(s, int) and 400 <= s <= 599 for s in statuses)
            and ("empty" not in not_found or _jmespath(not_found["empty"]))
            and set(not_found) <= {"http_status", "empty"}
        )
        if not ok:
            errors.update(
                field_error(
                    "not_found",
                    "not_found gồm http_status (danh sách mã 4xx/5xx) và empty "
                    "(JMESPath).",
                    "not_found has http_status (a list of 4xx/5xx) and empty "
                    "(JMESPath).",
                )
            )
        else:
            data["not_found"] = not_found

    for name in ("date_format", "agency_id"):
        value = body.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or not value or len(value) > 64:
            errors.update(field_error(name, "Giá trị không hợp lệ.", "Invalid value."))
        else:
            data[name] = value
    if body.get("id_number_required") is not None:
        data["id_number_required"] = bool(body["id_number_required"])

    if errors:
        raise ValidationError(fields=errors)
    return Connector(item_id, data)


def check_code(code: object) -> str:
    if not isinstance(code, str) or not CODE.match(code.strip()):
        raise ValidationError(
            fields=field_error(
                "code",
                "Mã hồ sơ không đúng định dạng (ví dụ 000.00.24.H34-251203-0001).",
                "The dossier code is malformed (e.g. 000.00.24.H34-251203-0001).",
            )
        )
    return code.strip()


def check_id_number(value: object) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not ID_NUMBER.match(value.strip()):
        raise ValidationError(
            fields=field_error(
                "id_number",
                "Số giấy tờ gồm 6-20 chữ cái hoặc chữ số.",
                "The ID number is 6-20 letters or digits.",
            )
        )
    return value.strip()
