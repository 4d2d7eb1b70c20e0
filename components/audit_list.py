"""The audit list of the Data and sources page: every import batch, and for an admin its roll-back.

Why a table of its own: the import batch is the audit trail (who loaded which file, when, what it
changed and what the loader warned about) and the unit of roll-back, so partners and staff read
it and an admin acts on it in one place. Pure functions: the page reads the batches and, for an
admin, why each one cannot be rolled back (``refusals``); this module only draws them.

An admin's rows carry a "Roll back" button (``{"type": ROLLBACK_BUTTON, "index": batch id}``) or
the reason it cannot be; a click opens the inline confirmation (:data:`CONFIRMATION`), whose
confirm button (:data:`CONFIRM`) the page's callback answers in :data:`MESSAGE`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from dash import dcc, html

from components.import_views import KIND_NAMES
from components.provenance import day_text, loaded_by_text
from data_loaders.reasons import in_language
from i18n import N_, format_number, translator

AUDIT_TABLE, AUDIT_BODY, MESSAGE = "audit-table", "audit-body", "rollback-message"
ROLLBACK_BUTTON, CONFIRMATION, CONFIRM_TEXT = "rollback-button", "rollback-confirmation", "rollback-confirm-text"
CONFIRM, CANCEL, PENDING = "rollback-confirm", "rollback-cancel", "rollback-pending"
AUDIT_ROWS = 50  # the newest batches shown
WARNINGS_SHOWN = 3  # warning lines shown in a row; the rest open from "n more"
HEADERS = (
    N_("Batch"),
    N_("Loaded at (UTC)"),
    N_("Loaded by"),
    N_("File"),
    N_("Kind"),
    N_("Status"),
    N_("New"),
    N_("Revised"),
    N_("Unchanged"),
    N_("Warnings"),
    N_("Checksum (SHA-256)"),
)
STATUS_WORDS = {"loaded": N_("loaded"), "checked": N_("checked"), "rolled back": N_("rolled back")}


def when_text(value: object, lang: str | None) -> str:
    """A batch's time: the day in the language's long form, and the UTC time of day."""
    if value is None or pd.isna(value):
        return "—"
    return f"{day_text(value, lang)} {pd.Timestamp(value):%H:%M}"


def _counts(row) -> dict:
    return row.counts if isinstance(row.counts, Mapping) else {}


def _reverted_by(frame: pd.DataFrame) -> dict[int, int]:
    """Batch id -> the id of the roll-back batch that undid it (among the rows shown)."""
    undone = frame[frame["reverts_batch_id"].notna()] if "reverts_batch_id" in frame else frame.iloc[0:0]
    return {int(target): int(batch) for batch, target in zip(undone["id"], undone["reverts_batch_id"], strict=True)}


def status_text(row, t, reverted_by: int | None = None) -> str:
    """The batch's status in words: "loaded", "roll-back of batch 12", "rejected: 3 problems"..."""
    if row.status == "rollback" and not pd.isna(row.reverts_batch_id):
        return t("roll-back of batch {id}").format(id=int(row.reverts_batch_id))
    if row.status == "rejected":
        return t("rejected: {n} problems").format(n=int(_counts(row).get("problems", 0)))
    if row.status == "rolled back" and reverted_by is not None:
        return t("rolled back by batch {id}").format(id=reverted_by)
    return t(STATUS_WORDS[row.status]) if row.status in STATUS_WORDS else str(row.status)


def _count_cells(row, lang: str | None) -> list[html.Td]:
    """New, revised (observations revised and other rows updated) and unchanged rows; a dash when
    the batch counted none (a rejected file, a batch from before the counts were kept)."""
    counts = _counts(row)
    known = row.status != "rejected" and any(k in counts for k in ("inserted", "revised", "updated", "unchanged"))
    values = (
        (counts.get("inserted", 0), counts.get("revised", 0) + counts.get("updated", 0), counts.get("unchanged", 0))
        if known
        else (None, None, None)
    )
    return [html.Td("—" if v is None else format_number(v, 0, lang), className="text-end audit-count") for v in values]


def _warnings(lines, t) -> html.Td:
    lines = [str(line) for line in (lines if isinstance(lines, list | tuple) else [])]
    if not lines:
        return html.Td("—", className="audit-warnings")
    shown = [html.Li(line) for line in lines[:WARNINGS_SHOWN]]
    rest = lines[WARNINGS_SHOWN:]
    parts: list = [html.Ul(shown, className="mb-0 ps-3")]
    if rest:
        parts.append(
            html.Details(
                [
                    html.Summary(t("{n} more").format(n=len(rest))),
                    html.Ul([html.Li(line) for line in rest], className="mb-0 ps-3"),
                ]
            )
        )
    return html.Td(parts, className="audit-warnings", style={"minWidth": "12rem"})


def _action(batch_id: int, refusal: str | None, t) -> html.Td:
    if refusal is None:
        button = html.Button(
            t("Roll back"),
            id={"type": ROLLBACK_BUTTON, "index": batch_id},
            className="btn btn-outline-danger btn-sm text-nowrap",
            title=t("Roll back batch {id}").format(id=batch_id),
        )
        return html.Td(button)
    # the reason, one click away: a full sentence on every seed batch would drown the list
    return html.Td(
        html.Details([html.Summary(t("not possible")), in_language(refusal, t)], className="small"),
        className="text-muted rollback-refusal",
    )


def audit_table(frame: pd.DataFrame, lang: str | None, refusals: Mapping[int, str | None] | None = None):
    """Every batch of ``frame`` (``queries.catalogue.import_batches``), newest first, as a table.

    Args:
        frame: the batches, with counts, warnings and reverts_batch_id.
        lang: UI language.
        refusals: for an admin, batch id -> None (may be rolled back: a button) or the reason it
            may not (shown instead); None for everyone else (no roll-back column).
    """
    t = translator(lang)
    if frame.empty:
        return html.P(t("Nothing to show."), className="text-muted small batches-table", id=AUDIT_TABLE)
    reverted_by = _reverted_by(frame)
    rows = []
    for row in frame.itertuples():
        batch_id = int(row.id)
        cells = [
            html.Td(str(batch_id)),
            html.Td(when_text(row.loaded_at, lang), className="text-nowrap"),
            html.Td(loaded_by_text(row.loaded_by, lang)),
            html.Td(row.file_name, style={"overflowWrap": "anywhere", "minWidth": "8rem"}),
            html.Td(t(KIND_NAMES[row.kind]) if row.kind in KIND_NAMES else row.kind),
            html.Td(status_text(row, t, reverted_by.get(batch_id)), className="audit-status"),
            *_count_cells(row, lang),
            _warnings(row.warnings, t),
            html.Td(html.Code(row.checksum[:12], title=row.checksum)),
        ]
        if refusals is not None:
            cells.append(_action(batch_id, refusals.get(batch_id), t))
        rows.append(html.Tr(cells, className="audit-row", **{"data-batch": str(batch_id), "data-status": row.status}))
    headers = [t(h) for h in HEADERS] + ([t("Roll back")] if refusals is not None else [])
    caption = t("Import batches, newest first: who loaded which file, when, and what it changed.")
    table = html.Table(
        [
            html.Caption(caption, className="small"),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])),
            html.Tbody(rows),
        ],
        id=AUDIT_TABLE,
        className="table table-sm table-striped table-hover small audit-table batches-table caption-top",
    )
    return html.Div(table, className="table-responsive")


def _cap_note(frame: pd.DataFrame, t) -> list:
    total = int(frame["total"].iloc[0]) if not frame.empty and "total" in frame else len(frame)
    if total <= len(frame):
        return []
    note = t("The newest {shown} of {total} batches are shown.")
    return [html.P(note.format(shown=len(frame), total=total), className="small text-muted audit-cap")]


def _confirmation(t) -> html.Div:
    """The inline confirmation, hidden until a "Roll back" button names its batch."""
    return html.Div(
        [
            html.P(id=CONFIRM_TEXT, className="mb-2"),
            html.Button(t("Roll back this batch"), id=CONFIRM, className="btn btn-danger btn-sm me-2"),
            html.Button(t("Cancel"), id=CANCEL, className="btn btn-outline-secondary btn-sm"),
        ],
        id=CONFIRMATION,
        hidden=True,
        className="alert alert-warning small",
        role="alertdialog",
        **{"aria-labelledby": CONFIRM_TEXT},
    )


def confirmation_text(row, lang: str | None) -> str:
    """What the confirmation says about the batch it would roll back."""
    t = translator(lang)
    return t(
        "Roll back batch {id} ({file}, loaded by {who} on {when}, rows: {rows})? Its values stop being "
        "current and the values before them become current again; nothing is deleted, and the roll-back "
        "is recorded as a batch of its own."
    ).format(
        id=int(row.id),
        file=row.file_name,
        who=row.loaded_by,
        when=when_text(row.loaded_at, lang),
        rows=format_number(row.rows, 0, lang),
    )


def audit_body(frame: pd.DataFrame, lang: str | None, refusals: Mapping[int, str | None] | None = None) -> list:
    """What a roll-back redraws: the (hidden) confirmation for an admin, the table, the cap note."""
    t = translator(lang)
    confirmation = [_confirmation(t)] if refusals is not None else []
    return [*confirmation, audit_table(frame, lang, refusals), *_cap_note(frame, t)]


def audit_section(frame: pd.DataFrame, lang: str | None, refusals: Mapping[int, str | None] | None = None):
    """The import history of the /data page: heading, the audit table and, for an admin
    (``refusals`` given), the roll-back message, the batch being confirmed and the buttons."""
    t = translator(lang)
    admin = [] if refusals is None else [html.Div(id=MESSAGE, role="status"), dcc.Store(id=PENDING)]
    return html.Section(
        [
            html.H2(t("Import history"), className="h5 mt-2"),
            html.P(
                t("Every loaded file, newest first: the audit trail and the unit of roll-back."),
                className="small text-muted",
            ),
            *admin,
            html.Div(audit_body(frame, lang, refusals), id=AUDIT_BODY),
        ],
        className="audit-list",
    )
