from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "oversight.org"
    label = "org"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from oversight.org import audit_terms, auth_events, refs

        auth_events.connect()
        audit_terms.register()
        refs.register()
