"""Schema migrations and SQL models, installed with the package."""
