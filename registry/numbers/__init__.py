"""Phone numbers (10DLC long codes) and their assignment to campaigns."""
