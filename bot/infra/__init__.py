"""Cross-cutting infrastructure: clock, freshness, services, memory and other shared plumbing."""
