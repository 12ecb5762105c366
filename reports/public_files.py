"""The public side served like static files: built once, kept for every process, revalidated.

A published revision never changes, so each of its public representations (the page, the
xlsx, csv, docx, pdf and json) is built on its first request and stored as a `PublicFile` row;
every later request, in any process on any machine, sends those bytes. Responses carry an
ETag (SHA-256 of the bytes) and Last-Modified, and a request that already has them gets 304
without the bytes being read.

`BUILD` names the code that built a file: templates, Python and static files hashed at start-up
(or `PORTAL_BUILD_ID`), so a deployment that changes how pages look builds them again instead
of serving pages that link to stylesheets it no longer has.

Pages over many filings (lists, 汇总) change with every publication; `cached_page` keeps them
in the shared cache (settings.CACHES, a database table) under a key that changes whenever what
they show does.
"""

import functools
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from reports import public
from reports.downloads import attachment_header
from reports.models import PublicFile

# Where the URL names the revision (…/v2.pdf) the bytes can never change.
IMMUTABLE = "public, max-age=31536000, immutable"
# Where it does not (…/2021/slug/), a correction may publish new bytes at any time: caches
# keep them a minute, then revalidate (a 304 when nothing changed).
SHORT = "public, max-age=60"


def _build_id() -> str:
    configured = os.environ.get("PORTAL_BUILD_ID", "").strip()
    if configured:
        return configured[:16]
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder, pattern in [("templates", "*.html"), ("reports", "*.py"), ("static", "*")]:
        for path in sorted((base / folder).rglob(pattern)):
            if path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


BUILD = _build_id()


def serve(
    request,
    revision_id: int,
    kind: str,
    build: Callable[[], tuple[bytes, str]],
    *,
    stored: public.Stored | None,
    variant: str = "",
    content_type: str,
    last_modified,
    immutable: bool = False,
    fallback_name: str = "",
) -> HttpResponse:
    """The `kind` of revision `revision_id`: `stored` (what `public.filing` found under this
    variant and `BUILD`), or built by `build()` the first time (the bytes and, for a download,
    its file name, then sent as an attachment with `fallback_name` as the ASCII name for old
    clients); or 304 when the client already holds it.

    Nothing more to read when the file was found with its bytes or the client holds it; one
    query when it was found without them; building runs `build` and one insert. Two processes
    building the same file at once both send what they built; the first stored copy is the
    one every later request gets.
    """
    key = {"revision_id": revision_id, "kind": kind, "variant": variant, "build": BUILD}
    cache_control = IMMUTABLE if immutable else SHORT
    modified = last_modified.timestamp()
    if stored is None:
        stored = _store(key, *build())
    unchanged = get_conditional_response(request, etag=f'"{stored.etag}"', last_modified=modified)
    if unchanged is not None:
        response = unchanged
    else:
        content = stored.content
        if content is None:
            content = PublicFile.unpack(
                PublicFile.objects.values_list("content", flat=True).get(**key)
            )
        response = HttpResponse(content, content_type=content_type)
        if stored.name:
            response["Content-Disposition"] = attachment_header(stored.name, fallback_name)
    response["ETag"] = f'"{stored.etag}"'
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = cache_control
    return response


def _store(key: dict, content: bytes, name: str) -> public.Stored:
    """Keep what was built; if another process stored the same file first, keep theirs (the
    next request sends theirs, with its own ETag) and send this one now."""
    etag = hashlib.sha256(content).hexdigest()
    PublicFile.objects.bulk_create(
        [PublicFile(**key, etag=etag, name=name, content=PublicFile.pack(content))],
        ignore_conflicts=True,
    )
    return public.Stored(etag, name, content)


def cached_page(*params: str):
    """A public page over many filings (a list, a 汇总), kept in the shared cache.

    The key is the code's build, `public.state()` and the view's arguments and query
    parameters `params` (others are ignored, so made-up parameters cannot fill the cache).
    Anything that changes what the page shows changes `state()`, so nothing is ever stale and
    nothing needs deleting. A request holding the page's ETag gets 304 after one query.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            asked = sorted((name, request.GET.get(name, "")) for name in params)
            source = (
                f"{BUILD}|{public.state()}|{view.__name__}|{args}|{sorted(kwargs.items())}|{asked}"
            )
            key = hashlib.sha256(source.encode()).hexdigest()
            etag = f'"{key[:40]}"'
            unchanged = get_conditional_response(request, etag=etag)
            if unchanged is not None:
                unchanged["Cache-Control"] = SHORT
                return unchanged
            stored = cache.get(f"public-page:{key}")
            if stored is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200:
                    return response
                headers = {
                    name: response[name]
                    for name in ("Content-Type", "Content-Disposition")
                    if response.has_header(name)
                }
                stored = (response.content, headers)
                cache.set(f"public-page:{key}", stored)
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            response["ETag"] = etag
            response["Cache-Control"] = SHORT
            return response

        return wrapper

    return decorator
