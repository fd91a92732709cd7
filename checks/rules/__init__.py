"""Cross-table and domain rules: each module declares its checks, builds a frame in DuckDB SQL
and validates it with a pandera model."""
