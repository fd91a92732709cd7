"""Derive: one event's warehouse rows from its read and resolved rows: rounds and races from
event.toml, the cross-file checks of one event, the final classification."""
