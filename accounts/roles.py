"""What each role may do, in one table that every route and callback check reads.

Roles add to each other: a partner is a viewer who may also download in bulk and use the API
when the dashboard is not public; staff load data for their themes; an admin does everything.
With ``PUBLIC_READ`` on (the default) anonymous visitors may view and download.
"""

from __future__ import annotations

from data_loaders.models import ROLES
from i18n import N_

VIEW, DOWNLOAD, UPLOAD, LOAD, ROLLBACK, MANAGE_USERS = "view", "download", "upload", "load", "rollback", "manage_users"
PERMISSIONS: dict[str, frozenset[str]] = {
    VIEW: frozenset(ROLES),
    DOWNLOAD: frozenset({"partner", "staff", "admin"}),
    UPLOAD: frozenset({"staff", "admin"}),  # a dry run: reads the file, writes nothing
    LOAD: frozenset({"staff", "admin"}),
    ROLLBACK: frozenset({"admin"}),
    MANAGE_USERS: frozenset({"admin"}),
}
ROLE_NAMES = {"viewer": N_("Viewer"), "partner": N_("Partner"), "staff": N_("Staff"), "admin": N_("Admin")}
PUBLIC = frozenset({VIEW, DOWNLOAD})  # what everyone may do while PUBLIC_READ is on
WRITES = frozenset({LOAD, ROLLBACK, MANAGE_USERS})  # CSRF-checked besides the role

# The themes a file's rows belong to, by kind; observations and targets take their indicator's.
REFERENCE = "reference"
THEMES = ("connectivity", "it_sector", "park", "population", REFERENCE)
THEME_OF_KIND = {
    "sources": REFERENCE,
    "indicators": REFERENCE,
    "geo": REFERENCE,
    "it_companies": "it_sector",
    "it_company_years": "it_sector",
    "park_buildings": "park",
    "park_units": "park",
    "park_tenants": "park",
    "park_leases": "park",
}


def allowed(role: str | None, permission: str, public_read: bool) -> bool:
    """May someone with ``role`` (None: not signed in) do ``permission``?"""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    if public_read and permission in PUBLIC:
        return True
    return role is not None and role in PERMISSIONS[permission]


def theme_scope(role: str, themes: list[str] | tuple[str, ...]) -> frozenset[str] | None:
    """The themes an account may load: None for every theme (admin), else its assigned ones."""
    return None if role == "admin" else frozenset(themes)
