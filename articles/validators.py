"""Field validators for the content model."""

from django.core.validators import URLValidator

# A code of its own: forms replace the message of an "invalid" error with their generic "Enter a valid URL."
https_url = URLValidator(
    schemes=["https"], message="Enter a secure link that starts with https://.", code="https_required"
)
web_url = URLValidator(schemes=["http", "https"])
