"""After-commit clean-up of stored files; the only side effect in the media app that runs on a signal."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from media.models import Image
from media.renditions import delete_files_on_commit


@receiver(post_delete, sender=Image, dispatch_uid="media_delete_image_files")
def delete_image_files(sender, instance, **kwargs):
    """Once a picture's deletion is committed, its file and every rendition leave storage too."""
    delete_files_on_commit(instance.stored_names(), instance.file.storage)
