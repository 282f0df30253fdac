from django.apps import AppConfig


class PoolConfig(AppConfig):
    name = "oversight.pool"
    label = "pool"
    verbose_name = "Inspector pool"

    def ready(self) -> None:
        from oversight.pool import audit_terms, refs

        audit_terms.register()
        refs.register()
