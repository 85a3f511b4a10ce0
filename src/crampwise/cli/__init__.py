"""The terminal face: parse input, call one service, render the result.

`entry.main` is the console script. It sends `crampwise now` to a fast path that imports no
Typer, Pydantic or SQLAlchemy; everything else goes through the Typer app of `app.py`.
"""
