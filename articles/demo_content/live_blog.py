"""The demo's live blog: a stormy Friday evening in Johannesburg, followed as it happens.

Invented, like the rest of the demo. Times are minutes before the moment the demo is loaded; the story
itself follows the shape of ``stories.STORIES`` and is loaded with them.
"""

LIVE_STORY = {
    "key": "storm-live",
    "headline": "Live: hail and flash floods as storms cross Johannesburg",
    "standfirst": (
        "The storms forecasters warned of arrived on Friday afternoon. Follow the latest on roads, power and "
        "emergency services here."
    ),
    "section": "news",
    "authors": ["amina", "pieter"],
    "tags": ["Weather", "Gauteng"],
    "hours_ago": 3,
    "image": "storm-veld",
    "caption": "Storm clouds building over the south of the city on Friday.",
    "quotes": [],
    "body": """
<p>A line of thunderstorms moved in from the south-west shortly after three on Friday afternoon, bringing
hail, strong gusts and heavy rain to much of the city. Our reporters are following what it means for
people trying to get home, and what the city and emergency services are doing about it.</p>
<h2>Before you set out</h2>
<p>Check the entries below for closed roads before you leave, and give yourself extra time: traffic lights
in several suburbs went dark with the first lightning. Read the <a href="{story:storm-warning}">explainer on
what the warning levels mean</a>.</p>
""",
}

# Oldest first, as they were posted: (minutes ago, author, text, extras).
LIVE_ENTRIES = [
    (
        170,
        "amina",
        "<p><strong>What you need to know tonight.</strong> Avoid low-lying roads in the south of the city, "
        "expect traffic lights to be out in places, and keep a torch nearby. We will keep this note up to date.</p>",
        {"pinned": True},
    ),
    (
        150,
        "pieter",
        "Hail the size of marbles is falling in Rosettenville and Turffontein. Drivers are pulling over under "
        "bridges to wait it out, which is slowing traffic on the M2.",
        {"picture": "storm-veld"},
    ),
    (
        125,
        "amina",
        "The weather office says the worst of the first cell should pass within the hour, but a second line "
        "of storms is forming behind it.",
        {
            "quote": (
                "maake",
                "People should not treat the break between the two storms as the all-clear.",
            ),
        },
    ),
    (
        95,
        "pieter",
        "Water is running across Klipspruit Valley Road near the canal. Metro police have closed one lane "
        "heading north.",
        {
            "correction": (
                "Water is running across Klipspruit Valley Road near the canal. Metro police have closed both "
                "lanes heading north.",
                "An earlier version said one lane was closed; both northbound lanes are.",
            ),
        },
    ),
    (
        60,
        "amina",
        "Power has tripped in parts of Soweto and Lenasia. The city's electricity utility says crews will go "
        "out once the lightning has passed, not before.",
        {},
    ),
    (
        25,
        "pieter",
        "The second storm is weaker than feared so far: heavy rain, little hail. Traffic on the M1 south is "
        "moving again at walking pace.",
        {},
    ),
]
