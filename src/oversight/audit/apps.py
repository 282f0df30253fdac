from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "oversight.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from oversight.audit import anchors, vocabulary
        from oversight.core.ticks import register_tick

        vocabulary.register_defaults()
        register_tick("audit_anchor", anchors.write_daily)
