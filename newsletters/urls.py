from django.urls import path

from newsletters import views

app_name = "newsletters"

# None of these is a public page: each answers one reader, and none is kept by a cache.
urlpatterns = [
    path("subscribe/", views.subscription_create, name="subscription_create"),
    path("confirm/<str:token>/", views.subscription_confirm, name="subscription_confirm"),
    path("unsubscribe/<str:token>/", views.subscription_unsubscribe, name="subscription_unsubscribe"),
    path("opened/<str:token>.gif", views.delivery_opened, name="delivery_opened"),
    path("bounces/", views.bounce_create, name="bounce_create"),
    path("push/", views.push_subscription_create, name="push_subscription_create"),
    path("push/delete/", views.push_subscription_delete, name="push_subscription_delete"),
]
