"""A story with an embed: the reader's browser asks the provider for nothing until the reader presses the button."""

from playwright.sync_api import expect

from articles.models import Story
from embeds.models import Embed

CLIP = "https://www.youtube.com/watch?v=hv4Wt0Gk1sE"
PLAYER = "https://www.youtube-nocookie.com/embed/hv4Wt0Gk1sE?autoplay=1"
STAND_IN_PLAYER = "<!doctype html><html lang=en><title>Player</title><p>The player is playing.</p></html>"


def storm_story() -> Story:
    return Story.objects.get(body__contains=CLIP)


def test_the_player_loads_only_after_the_reader_presses_the_button(new_context, live_server):
    context = new_context()
    third_party = []

    def note(request):
        if request.url.startswith(("http:", "https:")) and not request.url.startswith(live_server.url):
            third_party.append(request.url)

    context.on("request", note)
    # The provider's player, stood in for on this machine (registered last, so it answers before the refusal).
    context.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=STAND_IN_PLAYER),
    )
    page = context.new_page()
    embed = Embed.objects.get(url=CLIP)

    page.goto(storm_story().get_absolute_url())
    figure = page.locator("figure.embed--youtube")
    figure.scroll_into_view_if_needed()
    expect(figure.locator(".embed__provider")).to_have_text("YouTube")
    expect(figure.get_by_role("link", name=embed.title)).to_have_attribute("href", CLIP)
    expect(figure.locator("img.embed__thumbnail")).to_be_visible()
    page.wait_for_load_state("networkidle")

    assert third_party == []
    assert [cookie for cookie in context.cookies() if "127.0.0.1" not in cookie["domain"]] == []
    expect(page.locator("iframe")).to_have_count(0)

    figure.get_by_role("button", name="Load the video from YouTube").click()

    expect(figure.locator("iframe.embed__player")).to_have_attribute("src", PLAYER)
    expect(page.frame_locator("figure.embed--youtube iframe").get_by_text("The player is playing.")).to_be_visible()
    assert third_party == [PLAYER]


def test_without_script_the_facade_links_to_the_original(new_context):
    page = new_context(java_script_enabled=False).new_page()

    page.goto(storm_story().get_absolute_url())

    figure = page.locator("figure.embed--youtube")
    expect(figure.get_by_role("link", name=Embed.objects.get(url=CLIP).title)).to_have_attribute("href", CLIP)
    expect(figure.get_by_role("button")).to_be_hidden()
