"""One module per rule family; every module is imported by :func:`registry.rules.engine.discover`."""
