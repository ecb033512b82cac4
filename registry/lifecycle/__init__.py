"""The lifecycle of brands, campaigns and numbers: every state change as a timeline row, per-carrier state."""
