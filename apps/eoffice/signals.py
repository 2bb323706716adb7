"""Signal handlers that keep derived data in step with the documents."""
