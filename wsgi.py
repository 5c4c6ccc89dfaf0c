"""gunicorn wsgi:app"""

import os

from mall import create_app

app = create_app()

if os.environ.get("SERVER_SOFTWARE", "").startswith("gunicorn"):
    # Under `gunicorn --preload` this runs once, in the master: jieba's dictionary (~1 s, ~60 MB)
    # is loaded there and shared by every forked worker. The flask CLI imports this file too, but
    # without gunicorn's SERVER_SOFTWARE, so `flask db upgrade` does not pay for it.
    from catalog.search import warm_up
    from mall.templating import compile_templates

    warm_up()
    compile_templates(app)  # the first page of each worker no longer waits for Jinja
