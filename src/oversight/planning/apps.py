from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "oversight.planning"
    label = "planning"
    verbose_name = "Planning"

    def ready(self) -> None:
        from oversight.planning import audit_terms, refs

        audit_terms.register()
        refs.register()
