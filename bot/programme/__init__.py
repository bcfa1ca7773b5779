"""Programme files (YAML and XLSX): typed models, located problems, import, export, demo."""
