"""science layer (see DESIGN.md)."""
