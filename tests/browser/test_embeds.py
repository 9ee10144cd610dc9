"""A story with an embed: the reader's browser asks the provider for nothing until the reader presses the button."""

from playwright.sync_api import expect

from articles.models import Section, Story
from embeds.models import Embed
from tests.browser.signing_in import sign_in
from tests.factories import make_staff, make_story, make_totp_device

CLIP = "https://www.youtube.com/watch?v=hv4Wt0Gk1sE"
PLAYER = "https://www.youtube-nocookie.com/embed/hv4Wt0Gk1sE?autoplay=1"
STAND_IN_PLAYER = "<!doctype html><html lang=en><title>Player</title><p>The player is playing.</p></html>"


def storm_story() -> Story:
    return Story.objects.get(body__contains=CLIP)


def test_the_player_loads_only_after_the_reader_presses_the_button(new_context, live_server, artifacts):
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
    figure.screenshot(path=artifacts / "story-embed-facade.png", animations="disabled")  # for people to look at

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


def test_a_reporter_adds_an_embed_with_the_editors_embed_button(page):
    story = make_story(
        "Harbour festival opens",
        status=Story.Status.DRAFT,
        section=Section.objects.get(name="News"),
        body=f'<p>The festival opened on Friday.</p><figure class="embed"><a href="{CLIP}">{CLIP}</a>'
        "<figcaption>The opening night</figcaption></figure><p>It runs until Sunday.</p>",
    )
    editor = make_staff("edwin", roles=["Editor"])
    sign_in(page, editor, device=make_totp_device(editor))
    page.goto(f"/admin/articles/story/{story.pk}/change/")
    expect(page.locator(".ProseMirror figure.embed a")).to_have_attribute("href", CLIP)  # kept as a block

    answers = ["https://vimeo.com/76979871", "The harbour at dawn"]
    page.on("dialog", lambda dialog: dialog.accept(answers.pop(0)))
    page.locator(".ProseMirror p", has_text="It runs until Sunday.").click()
    page.get_by_role("button", name="Embed:").click()
    expect(page.locator(".ProseMirror figure.embed")).to_have_count(2)
    page.get_by_role("button", name="Save draft").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    story.refresh_from_db()
    assert f'<figure class="embed"><a href="{CLIP}">{CLIP}</a><figcaption>The opening night</figcaption></figure>' in (
        story.body
    )
    assert (
        '<figure class="embed"><a href="https://vimeo.com/76979871">https://vimeo.com/76979871</a>'
        "<figcaption>The harbour at dawn</figcaption></figure>" in story.body
    )
