"""Oversight — 公安事中事后监督检查管理系统."""

__version__ = "0.1.0"
