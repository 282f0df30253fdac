from django.apps import AppConfig


class SubjectsConfig(AppConfig):
    name = "oversight.subjects"
    label = "subjects"
    verbose_name = "Subjects"

    def ready(self) -> None:
        from oversight.subjects import audit_terms, refs

        audit_terms.register()
        refs.register()
