"""What an uploaded spreadsheet must be before any parser opens it, and the export neutraliser.

An .xlsx file is a zip archive: a few kilobytes can inflate to gigabytes (a zip bomb) and
openpyxl would inflate it in memory. So every upload — admin pages, django-import-export,
management commands — goes through `check_upload` first: the name must say .xlsx or .csv, the
content must be what the name says (sniffed, not trusted), the size must stay under
``SPREADSHEET_MAX_UPLOAD_BYTES`` (default 5 MB), and every zip member is inflated once, in
chunks, against a total cap and a ratio cap before openpyxl sees the file.

Formulas are refused on import (Excel would compute a number we never see, and openpyxl reads a
formula without its cached value as None — a silently dropped cell). On export, text beginning
with = + - @ is prefixed with an apostrophe so that a spreadsheet program shows it as text
instead of running it (CSV/formula injection); `unneutralise` takes the apostrophe off again
on import, so a round trip gives back the same text.

Excel keeps a 20-digit number typed into a number cell as a float, which openpyxl reads as
1.2345678901234567e+19; `sheet_number` writes such a float out in plain digits before
`reports.numbers.parse_number` reads it (which reads a float by its repr and refuses an
exponent), so the cell is refused for its size (「12345678901234567000」数值过大…), not as
「不是数字」.
"""

from __future__ import annotations

import hashlib
import io
import math
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
# Spreadsheet XML compresses well (10–50×); a bomb compresses thousands of times. Small members
# (styles, a sheet of zeros) may legitimately exceed the ratio, so it applies above 1 MB only.
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 1000
FORMULA_PREFIXES = ("=", "+", "-", "@")

XLSX = "xlsx"
CSV = "csv"
EXTENSIONS = {".xlsx": XLSX, ".csv": CSV}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and Excel's password-encrypted .xlsx


class SpreadsheetError(Exception):
    """A file or sheet the portal will not import; str() is the Chinese message.

    `problems` lists every problem found (message strings naming sheet and cell) when there
    are several; the message then summarises them.
    """

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = list(problems or [message])
        super().__init__(message)


@dataclass(frozen=True)
class Upload:
    """An uploaded file that passed `check_upload`."""

    name: str
    data: bytes
    kind: str  # XLSX or CSV

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def max_upload_bytes() -> int:
    return int(getattr(settings, "SPREADSHEET_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def max_uncompressed_bytes() -> int:
    return int(
        getattr(settings, "SPREADSHEET_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES)
    )


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB".replace(".0 MB", " MB")
    return f"{max(1, round(size / 1024))} KB"


def check_upload(data: bytes, file_name: str, *, allowed: tuple[str, ...] = (XLSX, CSV)) -> Upload:
    """The upload if it may be parsed; SpreadsheetError with the reason otherwise."""
    name = (file_name or "").strip() or "（未命名文件）"
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = EXTENSIONS.get(suffix)
    wanted = "、".join(f".{k}" for k in allowed)
    if kind is None or kind not in allowed:
        if suffix in (".xls", ".xlsm", ".et", ".ods"):
            raise SpreadsheetError(
                f"不支持「{name}」这种文件，请在表格软件中另存为 {wanted} 后上传。"
            )
        raise SpreadsheetError(f"只接受 {wanted} 文件，「{name}」不是。")
    if not data:
        raise SpreadsheetError(f"「{name}」是空文件。")
    limit = max_upload_bytes()
    if len(data) > limit:
        raise SpreadsheetError(
            f"「{name}」有 {human_size(len(data))}，超过了 {human_size(limit)} 的上限。"
        )
    if data.startswith(OLE_MAGIC):
        raise SpreadsheetError(
            f"「{name}」是旧版 .xls 文件或设置了打开密码的工作簿，请另存为不加密的 .xlsx 后上传。"
        )
    if kind == XLSX:
        if not data.startswith(b"PK\x03\x04"):
            raise SpreadsheetError(f"「{name}」的扩展名是 .xlsx，但内容不是 xlsx 工作簿。")
        _check_zip(data, name)
    else:
        if data.startswith(b"PK\x03\x04"):
            raise SpreadsheetError(f"「{name}」的扩展名是 .csv，但内容是压缩文件（可能是 xlsx）。")
        decode_csv(data, name)
    return Upload(name=name, data=data, kind=kind)


def _check_zip(data: bytes, name: str) -> None:
    """Inflate every member once, in chunks, against the caps; refuse macros and non-workbooks."""
    bomb = SpreadsheetError(f"「{name}」解压后过大（疑似压缩炸弹），已拒绝。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise bomb
            names = {member.filename for member in members}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise SpreadsheetError(f"「{name}」不是有效的 xlsx 工作簿。")
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise SpreadsheetError(f"「{name}」含有宏，不予接受；请另存为普通 .xlsx 后上传。")
            cap, total = max_uncompressed_bytes(), 0
            for member in members:
                if member.file_size > cap or (
                    member.file_size > RATIO_FLOOR
                    and member.file_size > MAX_RATIO * max(member.compress_size, 1)
                ):
                    raise bomb
                # The directory can lie about sizes: count what really comes out.
                inflated = 0
                with archive.open(member) as stream:
                    while chunk := stream.read(256 * 1024):
                        inflated += len(chunk)
                        total += len(chunk)
                        if inflated > member.file_size or total > cap:
                            raise bomb
    except SpreadsheetError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise SpreadsheetError(f"「{name}」已损坏，无法作为 xlsx 工作簿打开。") from None


def decode_csv(data: bytes, name: str = "") -> str:
    """CSV text: UTF-8 (with or without BOM), else GB18030 — what Chinese Excel saves."""
    if b"\x00" in data:
        raise SpreadsheetError(f"「{name}」不是文本格式的 CSV 文件。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(f"「{name}」的文字编码无法识别，请另存为“CSV UTF-8”后上传。")


def is_formula(value) -> bool:
    """Whether a value read by openpyxl (formulas kept) or from CSV is a formula."""
    if isinstance(value, str):
        return value.startswith("=") and len(value) > 1
    # openpyxl ArrayFormula / DataTableFormula objects
    return type(value).__name__ in ("ArrayFormula", "DataTableFormula")


def formula_text(value) -> str:
    text = value if isinstance(value, str) else getattr(value, "text", "") or "数组公式"
    return text if len(text) <= 40 else text[:40] + "…"


def neutralise(value):
    """Text that a spreadsheet program would run as a formula, prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unneutralise(value):
    """Inverse of `neutralise` for text read back from an exported file."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] in FORMULA_PREFIXES:
        return value[1:]
    return value


def sheet_number(value):
    """A float in exponent form (1.2345678901234567e+19, 1e-05) as plain digits
    ("12345678901234567000", "0.00001"); any other value as it is."""
    if isinstance(value, float) and math.isfinite(value) and "e" in repr(value):
        return format(Decimal(repr(value)), "f")
    return value
