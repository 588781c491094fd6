"""gunicorn's settings for this site: `gunicorn -c python:catalog.gunicorn catalog.wsgi`."""


def post_worker_init(worker):
    # Each worker reads the list's facet index before taking requests, so no visitor waits for
    # it (programs/facet_index.py); after that it follows the catalog's changes by itself.
    from programs import facet_index

    facet_index.warm_up()
