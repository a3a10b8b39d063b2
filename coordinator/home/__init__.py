"""Start pages per role, the root redirect and the health check."""
