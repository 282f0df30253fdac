from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "oversight.cli"
    label = "cli"
