from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "oversight.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.urls import register_converter

        from oversight.core.converters import IdConverter

        register_converter(IdConverter, "id")
