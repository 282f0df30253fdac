from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "oversight.org"
    label = "org"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from oversight.org import auth_events

        auth_events.connect()
