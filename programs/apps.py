from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Catalog")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from programs import checks, receivers

        # The admin's registrations: Django's autodiscovery looks for programs.admin only.
        from programs.staff import admin  # noqa: F401

        # Every model pointing at a programme is a registered part of it, or says why not.
        checks.register()
        # What every write sets off: the catalog revision, the search documents (and sign-in's
        # session lifetime).
        receivers.connect(self)


class CatalogAdminConfig(admin_apps.AdminConfig):
    """Django's admin app, with our site: two-factor sign-in (programs.staff.site)."""

    default = False  # named explicitly in INSTALLED_APPS; ProgramsConfig is this module's app
    default_site = "programs.staff.site.CatalogAdminSite"
