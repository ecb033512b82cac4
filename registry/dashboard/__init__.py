"""The start page: the organization's brands and campaigns with their state."""
