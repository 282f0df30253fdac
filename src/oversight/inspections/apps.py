from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "oversight.inspections"
    label = "inspections"
    verbose_name = "Inspections"

    def ready(self) -> None:
        from oversight.inspections import audit_terms

        audit_terms.register()
