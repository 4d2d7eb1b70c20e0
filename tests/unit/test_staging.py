"""Uploads waiting between check and load: tokens, names, owners, claims and the stale clean-up."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import Workbook

from data_loaders import staging
from data_loaders.staging import StagingError

CSV = b"indicator_code,geo_code,period,value\nTJ.MOB.4G.POP.ZS,TJ-GB-01,2026-Q4,47.5\n"


def files_under(root) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize(
    "given, kept",
    [
        ("../../x.csv", "x.csv"),
        ("..\\..\\windows\\x.CSV", "x.csv"),
        ("/etc/passwd/../data.xlsx", "data.xlsx"),
        (".hidden.csv", "hidden.csv"),
        ("x .csv", "x.csv"),
        ("rows\x00;rm -rf.csv", "rowsrm -rf.csv"),
        ("Маълумот 2026-Q4.csv", "Маълумот 2026-Q4.csv"),
        ("a" * 300 + ".csv", "a" * 116 + ".csv"),
    ],
)
def test_a_file_name_keeps_only_its_last_part_and_safe_characters(given, kept):
    assert staging.safe_name(given) == kept


@pytest.mark.parametrize("given", ["x.sh", "x.csv.exe", "x", "", None, "../../", "x.xls", "...csv"])
def test_only_csv_and_xlsx_names_are_taken(given):
    with pytest.raises(StagingError) as refused:
        staging.safe_name(given)
    assert refused.value.reason == staging.WRONG_TYPE


def test_an_upload_is_written_in_its_tokens_folder_with_a_sidecar(tmp_path):
    staged = staging.stage(tmp_path, "ada", "../../x.csv", CSV, max_bytes=1024)
    assert staging.TOKEN.fullmatch(staged.token)
    assert files_under(tmp_path) == {staged.token, f"{staged.token}/x.csv", f"{staged.token}/upload.json"}
    assert staged.path(tmp_path).read_bytes() == CSV
    sidecar = json.loads((tmp_path / staged.token / "upload.json").read_text())
    assert sidecar["owner"] == "ada" and sidecar["name"] == "x.csv" and sidecar["size"] == len(CSV)
    assert sidecar["sha256"] == hashlib.sha256(CSV).hexdigest()
    assert datetime.fromisoformat(sidecar["uploaded_at"]) <= datetime.now(UTC)
    assert staging.open_staged(tmp_path, staged.token, "ada") == staged
    assert staging.stage(tmp_path, "ada", "x.csv", CSV, max_bytes=1024).token != staged.token  # random


def test_too_large_or_empty_uploads_are_refused_and_nothing_is_written(tmp_path):
    with pytest.raises(StagingError) as refused:
        staging.stage(tmp_path, "ada", "x.csv", CSV, max_bytes=len(CSV) - 1)
    assert refused.value.reason == staging.TOO_LARGE
    with pytest.raises(StagingError) as refused:
        staging.stage(tmp_path, "ada", "x.csv", b"", max_bytes=1024)
    assert refused.value.reason == staging.EMPTY
    assert files_under(tmp_path) == set()


def test_decode_reads_an_upload_value_and_refuses_anything_else():
    assert staging.decode("data:text/csv;base64," + base64.b64encode(CSV).decode()) == CSV
    for bad in (None, "", "text/csv,abc", "data:text/csv;base64,***", 42):
        with pytest.raises(StagingError):
            staging.decode(bad)


@pytest.mark.parametrize(
    "token", ["", None, 42, "short", "../../etc/passwd", "a" * 31, "a" * 65, "a" * 30 + "/..", "x" * 31 + "."]
)
def test_a_malformed_token_is_refused_before_it_reaches_a_path(tmp_path, token):
    with pytest.raises(StagingError) as refused:
        staging.open_staged(tmp_path, token, "ada")
    assert refused.value.reason == staging.GONE


def test_a_token_is_its_owners_alone(tmp_path):
    staged = staging.stage(tmp_path, "ada", "x.csv", CSV, max_bytes=1024)
    for someone in ("bob", "", None, "ADA"):
        with pytest.raises(StagingError) as refused:
            staging.open_staged(tmp_path, staged.token, someone)
        assert refused.value.reason == staging.NOT_YOURS


def test_an_unknown_token_or_a_tampered_sidecar_is_gone(tmp_path):
    with pytest.raises(StagingError):
        staging.open_staged(tmp_path, "A" * 32, "ada")
    staged = staging.stage(tmp_path, "ada", "x.csv", CSV, max_bytes=1024)
    sidecar = tmp_path / staged.token / "upload.json"
    sidecar.write_text(json.dumps({**json.loads(sidecar.read_text()), "name": "../../../etc/passwd.csv"}))
    with pytest.raises(StagingError) as refused:
        staging.open_staged(tmp_path, staged.token, "ada")
    assert refused.value.reason == staging.GONE


def test_the_report_is_kept_for_the_same_bytes_only(tmp_path):
    staged = staging.stage(tmp_path, "ada", "x.csv", CSV, max_bytes=1024)
    assert staging.read_report(tmp_path, staged) is None
    staging.save_report(tmp_path, staged, {"ok": True, "problems": []})
    assert staging.read_report(tmp_path, staged)["ok"] is True
    other = staging.Staged(**{**staged.__dict__, "sha256": "0" * 64})
    assert staging.read_report(tmp_path, other) is None


def test_an_upload_is_claimed_for_loading_once(tmp_path):
    staged = staging.stage(tmp_path, "ada", "x.csv", CSV, max_bytes=1024)
    staging.claim(tmp_path, staged)
    with pytest.raises(StagingError) as refused:
        staging.claim(tmp_path, staged)
    assert refused.value.reason == staging.BUSY
    staging.release(tmp_path, staged)
    staging.claim(tmp_path, staged)
    staging.discard(tmp_path, staged)
    assert files_under(tmp_path) == set()
    with pytest.raises(StagingError) as refused:
        staging.open_staged(tmp_path, staged.token, "ada")
    assert refused.value.reason == staging.GONE


def _age(root, staged, hours: float) -> None:
    sidecar = root / staged.token / "upload.json"
    then = (datetime.now(UTC) - timedelta(hours=hours)).isoformat(timespec="seconds")
    sidecar.write_text(json.dumps({**json.loads(sidecar.read_text()), "uploaded_at": then}))


def test_stale_uploads_are_removed_on_the_next_upload(tmp_path):
    old = staging.stage(tmp_path, "ada", "old.csv", CSV, max_bytes=1024)
    recent = staging.stage(tmp_path, "bob", "recent.csv", CSV, max_bytes=1024)
    _age(tmp_path, old, 25)
    _age(tmp_path, recent, 23)
    (tmp_path / "not-a-token").mkdir()  # left alone: not ours to judge
    new = staging.stage(tmp_path, "ada", "new.csv", CSV, max_bytes=1024)
    assert not (tmp_path / old.token).exists()
    assert (tmp_path / recent.token).exists() and (tmp_path / new.token).exists()
    assert (tmp_path / "not-a-token").exists()
    later = datetime.now(UTC) + timedelta(hours=24, minutes=1)
    assert set(staging.remove_stale(tmp_path, now=later)) == {recent.token, new.token}
    assert [p.name for p in tmp_path.iterdir()] == ["not-a-token"]


def test_rows_are_counted_for_the_progress_bar(tmp_path):
    csv_file = tmp_path / "a.csv"
    csv_file.write_bytes(CSV * 1)
    assert staging.data_rows(csv_file) == 1
    csv_file.write_bytes(CSV + b"TJ.MOB.4G.POP.ZS,TJ-GB-02,2026-Q4,51")  # no newline at the end
    assert staging.data_rows(csv_file) == 2
    book = Workbook()
    for row in range(4):
        book.active.append(["a", row])
    book.save(tmp_path / "a.xlsx")
    assert staging.data_rows(tmp_path / "a.xlsx") == 3
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    assert staging.data_rows(tmp_path / "broken.xlsx") == 0
