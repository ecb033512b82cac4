"""Campaigns: a use case with its samples, opt-in flow and keyword behaviour, registered under a brand."""
