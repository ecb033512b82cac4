"""WSGI entry point (``gunicorn wsgi:app``, ``waitress-serve wsgi:app``)."""

from registry.app import create_app

app = create_app()
