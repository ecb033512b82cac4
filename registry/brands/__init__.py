"""Brands: the legal business behind the messages, registered with TCR."""
