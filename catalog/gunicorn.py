"""gunicorn's settings for this site: `gunicorn -c python:catalog.gunicorn catalog.wsgi`."""


def post_worker_init(worker):
    # Each worker reads the list's facet index before taking requests, so no visitor waits for
    # it (programs/facet_index.py); after that it follows the catalog's changes by itself.
    from django.db import DatabaseError, close_old_connections, connection

    from programs import facet_index

    facet_index.warm_up()
    # Django asks SQLite once per process whether it reads JSON (a programme's page does): ask
    # now rather than during a visitor's request.
    try:
        connection.features.supports_json_field  # noqa: B018 (read for its side effect)
    except DatabaseError:
        pass  # the first request asks instead
    finally:
        close_old_connections()
