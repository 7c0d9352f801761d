"""Storage that knows no domain type: the shared primitives, the per-document cache's files, the results store."""
