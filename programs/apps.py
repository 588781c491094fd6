from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Catalog"
    default_auto_field = "django.db.models.BigAutoField"
