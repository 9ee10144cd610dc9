"""Field validators for the content model."""

from django.core.validators import URLValidator

https_url = URLValidator(schemes=["https"], message="Enter a secure link that starts with https://.")
web_url = URLValidator(schemes=["http", "https"])
