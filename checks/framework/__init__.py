"""What a rule module is built from: `Check`, `Rule`, the pandera validation, the per-table
schemas and the keyed results frame. Imports no rule."""
