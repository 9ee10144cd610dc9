"""A model admin mixin for the rows other rows protect from deletion; it knows no app."""


class ExplainsProtectedDeletion:
    """For model admins of things stories point at and protect (sections, sources, pictures).

    Deleting one still in use is refused because of the stories using it. Django would also count those
    stories as objects the user may not delete (nobody deletes a published story) and show only that,
    as if deleting a section deleted its stories; the list of stories using it is the answer instead.
    """

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            perms_needed = set()  # nothing is deleted while anything is protected
        return to_delete, model_count, perms_needed, protected
