"""Records, enums, units and validation errors: the vocabulary every layer shares.

`enums`, `units` and `errors` use the standard library only (the instant `now` path imports
them); `records` adds Pydantic for validation at the edges.
"""
