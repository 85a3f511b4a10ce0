"""The HTML pages, one module per page group (each a FastAPI router)."""
