"""Organizations, users, memberships with roles, and logging in."""
