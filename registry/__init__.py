"""registry: US A2P 10DLC registration and compliance."""
