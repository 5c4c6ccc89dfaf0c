"""gunicorn wsgi:app"""

from mall import create_app

app = create_app()
