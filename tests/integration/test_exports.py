"""Exports in the browser: each chart menu entry downloads a file that opens (PNG, SVG and XLSX
made in background jobs), and the report button runs a job with its progress shown and downloads
the PDF of the page with the URL's filters and language."""

from __future__ import annotations

import contextlib
import csv
import io
import struct
import subprocess
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import psutil
from dash.testing.wait import until
from selenium.webdriver.common.by import By

from i18n import translator
from tests.integration.conftest import click_when_clickable, foreign_requests, logs_besides_not_found

FORMATS = ("png", "svg", "csv", "xlsx")


def downloaded(folder: str, extension: str) -> Path | None:
    """The finished download with this extension, if any."""
    files = [p for p in Path(folder).glob(f"*.{extension}") if not p.name.endswith(".crdownload")]
    return files[0] if files else None


def check_file(path: Path) -> None:
    content = path.read_bytes()
    if path.suffix == ".png":
        assert content[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", content[16:24]) == (2200, 1300)  # 2x snapshot
    elif path.suffix == ".svg":
        words = " ".join(ET.fromstring(content).itertext())
        assert "Source" in words
    elif path.suffix == ".csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert rows[0][:3] == ["Indicator code", "Indicator", "Geography code"] and len(rows) > 2
    else:
        book = openpyxl.load_workbook(io.BytesIO(content))
        assert book.sheetnames == ["Data", "About"] and book["Data"].max_row > 1


def test_exp001_chart_menu_downloads_each_format(dash_duo, dashboard):
    dash_duo.start_server(dashboard)
    dash_duo.driver.get(dash_duo.server_url + "/connectivity?lang=en&region=TJ-KT")
    dash_duo.wait_for_element(".chart-card .main-svg g.trace", timeout=40)
    card = dash_duo.find_elements(".chart-card")[1]
    for index, fmt in enumerate(FORMATS):
        toggle = card.find_element(By.CSS_SELECTOR, ".export-menu-toggle")
        click_when_clickable(dash_duo, toggle)
        until(lambda: card.find_element(By.CSS_SELECTOR, ".dropdown-menu.show"), timeout=5)
        item = card.find_elements(By.CSS_SELECTOR, ".dropdown-menu .dropdown-item")[index]
        click_when_clickable(dash_duo, item)
        if fmt == "png":  # a background job (it starts its own export browser): the page says so
            until(lambda: dash_duo.find_element("#exp-export-busy").is_displayed(), timeout=10)
        path = until(lambda fmt=fmt: downloaded(dash_duo.download_path, fmt), timeout=60)
        check_file(path)
    names = sorted(p.name for p in Path(dash_duo.download_path).iterdir())
    # what (the chart's registered name) and which filters (from the URL), the same for every format
    assert names == [f"4g-profile_TJ-KT_2018-Q1--2026-Q3.{fmt}" for fmt in ("csv", "png", "svg", "xlsx")], names
    assert foreign_requests(dash_duo) == []
    assert dash_duo.get_logs() == []


def pdf_words(path: Path) -> str:
    """The PDF's text with each run of white space (a wrapped title) as one space."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def test_exp002_report_button_shows_progress_and_downloads_the_pdf(dash_duo, dashboard):
    t = translator("tg")
    dash_duo.start_server(dashboard)
    dash_duo.driver.get(dash_duo.server_url + "/targets?lang=tg")
    button = dash_duo.wait_for_element("#exp-report-button", timeout=20)
    until(lambda: button.text == t("Download report (PDF)"), timeout=10)
    # a filter chosen on the page (which rewrites the URL without a page render) is in the report
    click_when_clickable(dash_duo, dash_duo.wait_for_element("#tgt-theme", timeout=20))
    option = until(lambda: [o for o in dash_duo.find_elements(".dash-dropdown-option") if o.text == t("IT Park")], 10)
    option[0].click()
    until(lambda: "theme=park" in dash_duo.driver.current_url, timeout=10)
    click_when_clickable(dash_duo, button)
    # a background job: the button waits, the bar says so and counts the charts, with a cancel
    until(lambda: dash_duo.find_element("#exp-report-progress").is_displayed(), timeout=10)
    assert not button.is_enabled()
    assert dash_duo.find_element("#exp-report-status").text == t("Preparing report…")
    assert dash_duo.find_element("#exp-report-cancel").is_displayed()
    path = until(lambda: downloaded(dash_duo.download_path, "pdf"), timeout=120)
    words = pdf_words(path)
    # this page, these filters (in words)
    assert t("Progress against targets") in words and f"{t('Theme')}: {t('IT Park')}" in words
    until(lambda: button.is_enabled(), timeout=10)
    assert not dash_duo.find_element("#exp-report-progress").is_displayed()
    assert dash_duo.find_element("#exp-report-message").text == ""
    # The route stays for machines and links.
    url = dash_duo.server_url + "/_export/report.pdf?page=/targets&lang=tg&theme=park"
    with urllib.request.urlopen(url, timeout=120) as response:  # the app itself, on loopback
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.read(5) == b"%PDF-"
    dash_duo.driver.get(dash_duo.server_url + "/no-such-page?lang=en")
    dash_duo.wait_for_contains_text("h1", "Page not found", timeout=10)
    until(lambda: not dash_duo.find_element("#exp-report-bar").is_displayed(), timeout=10)
    assert foreign_requests(dash_duo) == []
    assert logs_besides_not_found(dash_duo, "/no-such-page?lang=en") == []


def job_processes() -> list:
    """Live background-job processes of this test's server: the children of the fork server it
    started (``background_jobs``: jobs are forked from it, not from the threaded server)."""
    alive = []
    for server in psutil.Process().children():
        with contextlib.suppress(psutil.Error):
            if "forkserver" not in " ".join(server.cmdline()):
                continue
            for job in server.children():
                with contextlib.suppress(psutil.Error):  # a zombie (killed, not yet reaped) or gone
                    if job.status() != psutil.STATUS_ZOMBIE:
                        alive.append(job)
    return alive


def test_exp003_a_report_can_be_cancelled(dash_duo, dashboard):
    dash_duo.start_server(dashboard)
    dash_duo.driver.get(dash_duo.server_url + "/it-sector?lang=en")
    button = dash_duo.wait_for_element("#exp-report-button", timeout=20)
    until(lambda: button.text == "Download report (PDF)", timeout=10)
    click_when_clickable(dash_duo, button)
    cancel = dash_duo.wait_for_element("#exp-report-cancel", timeout=10)
    until(cancel.is_displayed, timeout=10)
    until(lambda: job_processes(), timeout=20)  # the job runs in a process from the fork server
    click_when_clickable(dash_duo, cancel)
    until(lambda: not job_processes(), timeout=5)  # killed, with its export browser
    until(lambda: not dash_duo.find_element("#exp-report-progress").is_displayed(), timeout=10)
    until(button.is_enabled, timeout=10)
    time.sleep(3)
    assert downloaded(dash_duo.download_path, "pdf") is None
    assert dash_duo.get_logs() == []
