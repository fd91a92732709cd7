"""Parsers that turn one raw event page into rows carrying their source line."""
