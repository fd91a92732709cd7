"""Olympic short-track speed skating results warehouse: raw pages in, Parquet and DuckDB out."""
