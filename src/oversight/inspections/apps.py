from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "oversight.inspections"
    label = "inspections"
    verbose_name = "Inspections"

    def ready(self) -> None:
        from oversight.inspections import audit_terms, selectors
        from oversight.planning import checked

        audit_terms.register()
        checked.register(selectors.finalised_subject_ids)
