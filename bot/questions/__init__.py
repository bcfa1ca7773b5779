"""Questions people type: answering, storing, and passing them on to the coordinators."""
