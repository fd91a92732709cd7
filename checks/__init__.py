"""Data-quality rules over the built warehouse (pandera schemas and cross-table checks)."""
