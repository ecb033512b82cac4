"""The outbox: approved revisions become submission rows in the approving transaction; a worker sends each
one after the commit, at most once per ``client_ref``, and resumes partial chains where they stopped."""
