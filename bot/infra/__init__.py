"""Infrastructure every area uses: clock, cache freshness, safe text, typed services, memory;
health and metrics endpoints, logging, the status snapshot."""
