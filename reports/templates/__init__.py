"""The HTML report's templates and inline assets.

pyproject.toml ships this folder inside the wheel as the package `migrate_audit._templates`;
`migrate_audit.report.templating` loads it with importlib.resources. This file only makes it a package.
"""
