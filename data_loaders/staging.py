"""Uploaded files waiting between the dry run and the load on ``/import``.

An upload is written to ``<uploads_dir>/<token>/<file name>`` with a sidecar ``upload.json``
(owner, original file name, size, sha256, upload time) and, once checked, the dry run's report
(``report.json``), from which the problem list is downloaded and the "Load" button is allowed.

Why files and not the browser: the browser sends the file once; the check, the download of its
problems and the load all run on the server against the same bytes (the checksum is compared),
whichever worker or background job takes the request.

Safety: a token is ``secrets.token_urlsafe`` and is checked against :data:`TOKEN` before it
becomes part of a path; the stored file name keeps only letters, digits, ``.``, ``-``, ``_`` and
spaces of the last part of the name the browser gave (``../../x.csv`` is ``x.csv``), so nothing
is written outside the token's folder; only the account that uploaded a file may use its token.
Uploads older than :data:`STALE` are removed on the next upload.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import unicodedata
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from i18n import N_

TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")
TOKEN_BYTES = 24  # 32 characters of URL-safe base64
STALE = timedelta(hours=24)
SUFFIXES = (".csv", ".xlsx")
MAX_NAME = 120
SIDECAR, REPORT, CLAIM = "upload.json", "report.json", "load.claim"


class StagingError(ValueError):
    """An upload or token that cannot be used; ``reason`` is an English msgid for the UI."""

    def __init__(self, reason: str, **values: object) -> None:
        super().__init__(reason.format(**values) if values else reason)
        self.reason, self.values = reason, values


# Reasons, English msgids (translated where they are shown).
NOT_A_FILE = N_("The upload could not be read. Please choose the file again.")
TOO_LARGE = N_("The file is larger than {limit} MB. Split it into smaller files.")
WRONG_TYPE = N_("Only CSV and XLSX files can be imported.")
EMPTY = N_("The file is empty.")
GONE = N_(
    "This upload is no longer available (it was loaded, or is older than 24 hours). Please upload the file again."
)
NOT_YOURS = N_("This upload belongs to another account.")
BUSY = N_("This file is being loaded or was loaded already.")


@dataclass(frozen=True)
class Staged:
    token: str
    owner: str
    name: str  # sanitised original file name: for display and the import batch's file_name
    size: int
    sha256: str
    uploaded_at: str  # ISO time, UTC

    def folder(self, root: Path | str) -> Path:
        return Path(root) / self.token

    def path(self, root: Path | str) -> Path:
        return self.folder(root) / self.name


def _now() -> datetime:
    return datetime.now(UTC)


def safe_name(name: str | None) -> str:
    """The last part of ``name`` with only letters, digits, ``.``, ``-``, ``_`` and spaces kept,
    no leading dots, at most :data:`MAX_NAME` characters, and its suffix lower-cased.

    Raises:
        StagingError: when the name is not a ``.csv`` or ``.xlsx`` file.
    """
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", name or ""))[-1]
    kept = "".join(c for c in base if c.isalnum() or c in "._- ").strip().lstrip(".").strip()
    stem, dot, suffix = kept.rpartition(".")
    suffix = f".{suffix.lower()}" if dot else ""
    if suffix not in SUFFIXES:
        raise StagingError(WRONG_TYPE)
    stem = stem.strip(" .") or "upload"
    return stem[: MAX_NAME - len(suffix)] + suffix


def decode(contents: str | None) -> bytes:
    """The bytes of a ``dcc.Upload`` value (``data:<type>;base64,<data>``)."""
    if not isinstance(contents, str) or ";base64," not in contents:
        raise StagingError(NOT_A_FILE)
    try:
        return base64.b64decode(contents.split(";base64,", 1)[1], validate=True)
    except (binascii.Error, ValueError):
        raise StagingError(NOT_A_FILE) from None


def check_token(token: object) -> str:
    """``token`` if it has the form of a token (and so is safe in a path), else :class:`StagingError`."""
    if not isinstance(token, str) or not TOKEN.fullmatch(token):
        raise StagingError(GONE)
    return token


def stage(root: Path | str, owner: str, file_name: str | None, content: bytes, max_bytes: int) -> Staged:
    """Write an upload under a new token and return it; stale uploads are removed first."""
    root = Path(root)
    name = safe_name(file_name)
    if len(content) > max_bytes:
        raise StagingError(TOO_LARGE, limit=round(max_bytes / 1024 / 1024, 1))
    if not content:
        raise StagingError(EMPTY)
    root.mkdir(parents=True, exist_ok=True)
    remove_stale(root)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    staged = Staged(
        token=token,
        owner=owner,
        name=name,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_at=_now().isoformat(timespec="seconds"),
    )
    folder = staged.folder(root)
    folder.mkdir(mode=0o700)
    staged.path(root).write_bytes(content)
    (folder / SIDECAR).write_text(json.dumps(asdict(staged)), encoding="utf-8")
    return staged


def open_staged(root: Path | str, token: object, owner: str | None) -> Staged:
    """The upload behind ``token`` if ``owner`` uploaded it.

    Raises:
        StagingError: GONE for a malformed or unknown token (or a file removed since), NOT_YOURS
            for another account's upload.
    """
    folder = Path(root) / check_token(token)
    try:
        data = json.loads((folder / SIDECAR).read_text(encoding="utf-8"))
        staged = Staged(**data)
    except (OSError, ValueError, TypeError):
        raise StagingError(GONE) from None
    if staged.token != token or staged.name != safe_name(staged.name):
        raise StagingError(GONE)
    if owner is None or staged.owner != owner:
        raise StagingError(NOT_YOURS)
    if not staged.path(root).is_file():
        raise StagingError(GONE)
    return staged


def save_report(root: Path | str, staged: Staged, record: dict) -> None:
    """Keep the dry run's report (a JSON-safe dict) next to the upload."""
    target = staged.folder(root) / REPORT
    partial = target.with_suffix(".part")
    partial.write_text(json.dumps({**record, "sha256": staged.sha256}), encoding="utf-8")
    partial.replace(target)


def read_report(root: Path | str, staged: Staged) -> dict | None:
    """The dry run's report of this upload, or None if it was not checked (or the file changed)."""
    try:
        record = json.loads((staged.folder(root) / REPORT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and record.get("sha256") == staged.sha256 else None


def claim(root: Path | str, staged: Staged) -> None:
    """Take the upload for loading, once: a second claim (a double click, two workers) is refused."""
    try:
        descriptor = os.open(staged.folder(root) / CLAIM, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise StagingError(BUSY) from None
    except OSError:
        raise StagingError(GONE) from None
    os.close(descriptor)


def release(root: Path | str, staged: Staged) -> None:
    """Give a claimed upload back (its load was refused), so it can be loaded after all."""
    with contextlib.suppress(FileNotFoundError):
        (staged.folder(root) / CLAIM).unlink()


def discard(root: Path | str, staged: Staged) -> None:
    """Remove the upload and everything kept with it (after it was loaded)."""
    shutil.rmtree(staged.folder(root), ignore_errors=True)


def remove_stale(root: Path | str, now: datetime | None = None) -> list[str]:
    """Remove uploads older than :data:`STALE`; the tokens removed."""
    root, now = Path(root), now or _now()
    removed = []
    if not root.is_dir():
        return removed
    for folder in root.iterdir():
        if not folder.is_dir() or not TOKEN.fullmatch(folder.name):
            continue
        try:
            uploaded = datetime.fromisoformat(json.loads((folder / SIDECAR).read_text(encoding="utf-8"))["uploaded_at"])
        except (OSError, ValueError, KeyError, TypeError):
            uploaded = datetime.fromtimestamp(folder.stat().st_mtime, UTC)
        if uploaded.tzinfo is None:
            uploaded = uploaded.replace(tzinfo=UTC)
        if now - uploaded > STALE:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed


def data_rows(path: Path) -> int:
    """About how many data rows a file holds, for the progress bar: its lines less the header
    (CSV), or its first sheet's dimension (XLSX); 0 when it cannot be told."""
    try:
        if path.suffix.lower() == ".xlsx":
            from openpyxl import load_workbook

            workbook = load_workbook(path, read_only=True)
            try:
                return max((workbook.worksheets[0].max_row or 1) - 1, 0)
            finally:
                workbook.close()
        with path.open("rb") as handle:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
            handle.seek(-1, os.SEEK_END)
            lines += handle.read(1) != b"\n"
        return max(lines - 1, 0)
    except Exception:  # a broken file: the loader says why; the bar just counts rows
        return 0
