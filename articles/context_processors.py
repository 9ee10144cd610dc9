"""Data every public page shows: the publication, its sections and its social links."""

from articles.models import Publication, Section, SocialLink


def publication(request):
    return {
        "publication": Publication.load(),
        "nav_sections": Section.objects.all(),
        "social_links": SocialLink.objects.active(),
    }
