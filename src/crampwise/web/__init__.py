"""The web face: server-rendered pages, an offline-first PWA shell and the JSON API.

`crampwise.web.app.create_app(settings)` builds the FastAPI application; nothing is built at
import time. Routes parse the request, call one service and render a template or JSON.
"""
