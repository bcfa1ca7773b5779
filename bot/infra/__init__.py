"""Infrastructure every area uses: clock, cache freshness, safe text, typed services, memory."""
