from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "oversight.catalog"
    label = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from oversight.catalog import audit_terms

        audit_terms.register()
