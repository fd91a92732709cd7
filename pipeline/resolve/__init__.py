"""Resolve: printed names and nations into athletes, teams and entrants; the only reader of the
registry."""
