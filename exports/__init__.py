"""Exports that stand on their own: chart data (CSV/XLSX), chart snapshots (PNG/SVG) and the
PDF report of a page. Pure builders here; the Dash wiring is in ``pages/_exports.py``."""
