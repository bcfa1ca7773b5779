"""The command line, one module per area: ``python -m bot run | console | import | ...``."""
