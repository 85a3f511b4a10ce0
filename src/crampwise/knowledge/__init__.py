"""The evidence base as data files (TOML) with typed loaders.

Every protocol step, red flag and recommendation carries source ids that resolve in
`sources.toml`; `tests/knowledge` fails on a dangling or missing one. Standard library only:
the `crampwise now` fast path loads this package.
"""
