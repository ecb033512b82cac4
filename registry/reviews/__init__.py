"""Four-eyes review: a submitter sends a frozen revision, a compliance officer (never its author) decides."""
