"""The Content-Disposition of every download: the Chinese name, and an ASCII name for old clients."""

from urllib.parse import quote


def attachment_header(name: str, fallback: str) -> str:
    """RFC 6266/5987: `filename*` carries the Chinese name; `filename` an ASCII fallback."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
