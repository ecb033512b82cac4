"""Provider webhooks: verify, deduplicate, store the raw event, mark the entity due for a re-fetch."""
