"""What bumps the catalog revision: every write to a table the public pages read.

Connected as signals (programs/receivers.py), so each write path (admin forms and actions, history
restores, load_catalog, imports) bumps the revision inside its own transaction without knowing
about it. Writes that bypass the ORM's signals (generate_catalog's multi-row SQL) call bump()
themselves.
"""

from programs import models

# The tables the public pages read, parents before children (the order a snapshot loads in).
PUBLIC_MODELS = (
    models.Language,
    models.University,
    models.Programme,
    *models.PART_MODELS,
    models.PublicChange,
)


def catalog_changed(sender, **kwargs):
    models.CatalogRevision.objects.bump()


def languages_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        models.CatalogRevision.objects.bump()
