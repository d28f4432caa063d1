"""ddmigrate: lint and migrate Docker Desktop extensions off the deprecated v0 client API."""

__version__ = "0.1.0"
