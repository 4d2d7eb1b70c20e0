"""Protections around the app: rate limits, response headers."""
