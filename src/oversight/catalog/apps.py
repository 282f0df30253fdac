from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "oversight.catalog"
    label = "catalog"
    verbose_name = "Catalog"
