"""Provider accounts of an organization: which provider, where, and its credentials encrypted at rest; the
provider calls made with them (``ProviderCall``); building a ready adapter from an account."""
