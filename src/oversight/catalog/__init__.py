"""The regimes of the responsibility list as data: schema, strict loader, versions."""
