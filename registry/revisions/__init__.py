"""Revisions: frozen, hashed snapshots of a brand or campaign as it was submitted for review or approved."""
