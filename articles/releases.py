"""Kept markup and a release that changes the templates it was rendered from.

Stories keep their markup and the publication keeps the site chrome's (``articles.rendering``,
``articles.chrome``) until something they show changes. A release can change the templates as well:
after its migrations (``migrate``, the release step of every deployment), the templates are compared
with those the kept markup was rendered from, and if they differ everything kept is forgotten and
every cached page retired, so that readers get pages in the new templates.
"""

import hashlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, transaction

from articles.models import Publication
from newsroom import cachetags
from newsroom.cachetags import SITE


def template_roots() -> list[Path]:
    """The project's template folders: the site's own and those of its apps (not installed packages')."""
    base = Path(settings.BASE_DIR).resolve()
    roots = [Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])]
    roots += [Path(config.path) / "templates" for config in apps.get_app_configs()]
    return sorted({root.resolve() for root in roots if root.is_dir() and _in_project(root.resolve(), base)})


def _in_project(folder: Path, base: Path) -> bool:
    """Inside the project and not in a hidden folder (a virtual environment's packages) or site-packages."""
    if not folder.is_relative_to(base):
        return False
    parts = folder.relative_to(base).parts
    return not any(part.startswith(".") or part == "site-packages" for part in parts)


def templates_fingerprint() -> str:
    """A digest of every project template's name and text."""
    digest = hashlib.sha256()
    for root in template_roots():
        for path in sorted(root.rglob("*.html")) + sorted(root.rglob("*.xml")) + sorted(root.rglob("*.txt")):
            digest.update(f"{path.relative_to(root)}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def forget_markup_of_other_templates(*, using: str = "default", **kwargs) -> bool:
    """Forget every kept markup and retire every page if the templates changed since it was kept; True if so."""
    fingerprint = templates_fingerprint()
    try:
        publication = Publication.objects.using(using).filter(pk=1).only("kept_templates").first()
    except DatabaseError:  # migrated back to before the publication kept its templates' fingerprint
        return False
    if publication is None or publication.kept_templates == fingerprint:
        return False
    with transaction.atomic(using=using):
        Publication.objects.using(using).filter(pk=1).update(kept_templates=fingerprint)
        # The publication shows on every story's markup (articles.rendering), SITE on every page and piece.
        cachetags.retire(SITE, cachetags.tag_for(publication))
    return True
