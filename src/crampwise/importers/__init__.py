"""importers layer (see DESIGN.md)."""
