from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Catalog"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from programs import checks
        from programs.actions.revision import connect
        from programs.search import programme_documents

        # The admin's registrations: Django's autodiscovery looks for programs.admin only.
        from programs.staff import admin  # noqa: F401

        # Connects the login signal that gives a signed-in session its ordinary lifetime back.
        from programs.visitors import shortlists  # noqa: F401

        # Every model pointing at a programme is a registered part of it, or says why not.
        checks.register()
        # Every write to the public catalog bumps its revision, which keys the caches.
        connect()
        # And rebuilds the search words of the programmes it touches.
        programme_documents.connect()


class CatalogAdminConfig(admin_apps.AdminConfig):
    """Django's admin app, with our site: two-factor sign-in (programs.staff.sign_in)."""

    default = False  # named explicitly in INSTALLED_APPS; ProgramsConfig is this module's app
    default_site = "programs.staff.sign_in.CatalogAdminSite"
