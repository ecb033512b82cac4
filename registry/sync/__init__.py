"""Scheduled status sync: due items by priority, claimed per worker, re-fetched from the provider, applied in
order with a timeline row and an audit event per change."""
