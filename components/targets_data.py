"""The rows behind each target block's chart on /targets, for its CSV and XLSX
(``exports.chart_data``): the observed series the targets are judged on, then each target with
its status, as the block shows them (``components.targets_blocks.assess_block``).
"""

from __future__ import annotations

import pandas as pd

from components.kpi_card import STATUS_LABELS
from components.targets_blocks import Block

TIDY = ["indicator_code", "geo_code", "period", "breakdown", "value", "flags", "status", "source_code"]


def block_rows(block: Block) -> pd.DataFrame:
    """Observed values (flags empty) and the targets (flag ``target``, ``illustrative`` where the
    target was set by this project for the demonstration) with the status of each."""
    first = block.group.iloc[0]
    geo = block.geo_code
    observed = pd.DataFrame(
        {
            "indicator_code": first["indicator_code"],
            "geo_code": geo,
            "period": block.series["period"].astype(str),
            "breakdown": "total",
            "value": block.series["value"].astype(float),
            "flags": "",
            "status": "",
            "source_code": None,
        }
    )
    targets = pd.DataFrame(
        {
            "indicator_code": first["indicator_code"],
            "geo_code": block.group["geo_code"].to_numpy(),
            "period": [str(int(y)) for y in block.group["year"]],
            "breakdown": "total",
            "value": block.group["value"].astype(float).to_numpy(),
            "flags": ["target, illustrative" if ill else "target" for ill in block.group["illustrative"]],
            "status": [STATUS_LABELS[row["progress"].status][0] for row in block.rows],
            "source_code": block.group["source_code"].to_numpy(),
        }
    )
    return pd.concat([observed, targets], ignore_index=True)[TIDY]
