"""Flask glue shared by every feature: the request edge, errors, the current organization, templates."""
