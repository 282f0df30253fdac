from django.conf import settings
from django.db import models


class CatalogVersion(models.Model):
    """One loaded state of the catalog. Records made under the catalog point at the version then
    in force, so that a later change of the rules never rewrites what was decided under them."""

    content_hash = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    document = models.JSONField()
    regime_count = models.PositiveIntegerField()
    source = models.CharField(max_length=500, blank=True)
    loaded_at = models.DateTimeField()
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"v{self.pk} {self.content_hash[:12]}"
