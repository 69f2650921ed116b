"""SMS texts: Vietnamese without diacritics, GSM-7 only, one 160-character segment.

An SMS with one character outside GSM-7 is sent as UCS-2 and holds 70 characters a
segment instead of 160, so every text is folded to plain Latin before it is sent.
"""

from __future__ import annotations

import unicodedata

SEGMENT = 160

# GSM 03.38 basic character set (the extension table costs two septets: left out).
_GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)

_STATUS_TEXT = {
    "received": "da duoc tiep nhan",
    "routed": "da chuyen den {agency} xu ly",
    "rejected": "khong duoc tiep nhan. Ly do: {reason}",
    "published": "da co ket qua xu ly va duoc cong khai",
    "waiting_citizen": "can bo sung thong tin: {question}",
    "merged": "da duoc gop vao phan anh {into}, theo doi tai do",
    "reopened": "da duoc mo lai de xu ly lai theo yeu cau cua ban",
}


_FIELDS = ("agency", "reason", "question", "into")


def fold(text: str) -> str:
    """Strip Vietnamese diacritics (đ becomes d) and drop what GSM-7 cannot carry."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = unicodedata.normalize("NFC", plain)
    return "".join(c if c in _GSM7 else " " for c in plain).strip()


def is_gsm7(text: str) -> bool:
    return all(c in _GSM7 for c in text)


def status_message(code: str, status: str, domain: str, **values: str) -> str | None:
    """The SMS for a report reaching ``status``, or None when that step sends none.

    The variable parts (agency name, reason) are shortened so that the whole text,
    code and status included, never passes one segment.
    """
    template = _STATUS_TEXT.get(status)
    if template is None:
        return None
    head = f"PAKN {code}: "
    tail = f". Xem tai {domain}"
    blanks = dict.fromkeys(_FIELDS, "")
    fixed = len(head) + len(fold(template.format(**blanks))) + len(tail)
    room = SEGMENT - fixed
    folded = {
        **blanks,
        **{k: _shorten(fold(v or ""), room) for k, v in values.items() if k in _FIELDS},
    }
    text = head + fold(template.format(**folded)) + tail
    if len(text) > SEGMENT:  # a domain too long for the tail: drop the tail
        text = (head + fold(template.format(**folded)))[:SEGMENT]
    return text


def _shorten(value: str, room: int) -> str:
    if len(value) <= room:
        return value
    return value[: max(room - 3, 0)].rstrip() + "..."
