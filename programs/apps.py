from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Catalog"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connects the login signal that gives a signed-in session its ordinary lifetime back.
        from programs import shortlists  # noqa: F401
