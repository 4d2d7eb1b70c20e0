"""Accounts and roles: who may view, download, import, roll back and manage users."""
