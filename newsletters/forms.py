from django import forms

from newsletters.models import NewsletterList


class SubscribeForm(forms.Form):
    email = forms.EmailField(label="E-mail address", max_length=254)
    lists = forms.ModelMultipleChoiceField(
        queryset=NewsletterList.objects.offered(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def clean_lists(self):
        chosen = list(self.cleaned_data["lists"])
        if chosen:
            return chosen
        briefing = NewsletterList.objects.offered().filter(kind=NewsletterList.Kind.BRIEFING).first()
        if briefing is None:
            raise forms.ValidationError("Choose at least one newsletter.")
        return [briefing]


class PushSubscriptionForm(forms.Form):
    """What a browser's PushSubscription.toJSON() holds."""

    endpoint = forms.URLField(max_length=1000, assume_scheme="https")
    p256dh = forms.CharField(max_length=200)
    auth = forms.CharField(max_length=100)


class TestAddressForm(forms.Form):
    address = forms.EmailField(label="Send a test to")
