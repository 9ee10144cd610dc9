"""The invented publication behind the demo: its sections, staff, sources and the people it quotes.

Every name here is made up. Officials are invented holders of plausible offices; members of the
public are first names with an age and a job, as a newsroom would introduce them.
"""

SITE = "https://highveldherald.example"

PUBLICATION = {
    "name": "Highveld Herald",
    "tagline": "Johannesburg news, told by people who live here",
    "description": (
        "The Highveld Herald covers Johannesburg and its neighbours: city hall, transport, water and power, "
        "business, sport and the arts, from Soweto to Sandton."
    ),
    "postal_address": "14 Jorissen Street, Braamfontein, Johannesburg 2001, South Africa",
}

SOCIAL_LINKS = [
    ("facebook", "https://www.facebook.com/highveldherald"),
    ("x", "https://x.com/highveldherald"),
    ("tiktok", "https://www.tiktok.com/@highveldherald"),
    ("instagram", "https://www.instagram.com/highveldherald"),
]

# key: (name, description, more-from line, more-from link)
SECTIONS = {
    "news": (
        "News",
        "City hall, transport, water, power and safety across Johannesburg.",
        "For more News in Johannesburg, visit",
        f"{SITE}/news",
    ),
    "business": (
        "Business",
        "Work, money and enterprise in Gauteng, from spaza shops to the stock exchange.",
        "For more Business news from Gauteng, visit",
        f"{SITE}/business",
    ),
    "sport": (
        "Sport",
        "Football, running, netball and every other game the city plays.",
        "For more Sport in Johannesburg, visit",
        f"{SITE}/sport",
    ),
    "arts": (
        "Arts & Culture",
        "Music, books, theatre and the places where the city gathers.",
        "For more Arts & Culture in Johannesburg, visit",
        f"{SITE}/arts",
    ),
    "opinion": (
        "Opinion",
        "Commentary from our writers on the questions the city argues about.",
        "For more Opinion from the Herald, visit",
        f"{SITE}/opinion",
    ),
}

# key: (name, home page, point search engines at the original)
SOURCES = {
    "metro-wire": ("Metro Wire", "https://metrowire.example", False),
    "veld-business": ("Veld Business Report", "https://veldbusiness.example", True),
}

AUTHORS = {
    "nomvula": {
        "name": "Nomvula Dlamini",
        "role": "City editor",
        "bio": (
            "Nomvula has reported on Johannesburg's council, its buses, taxis and trains for eleven years. "
            "She grew up in Tembisa and still takes the train when it runs."
        ),
        "links": [("x", "https://x.com/nomvula_reports"), ("instagram", "https://www.instagram.com/nomvula.reports")],
    },
    "pieter": {
        "name": "Pieter Steyn",
        "role": "Business editor",
        "bio": (
            "Pieter writes about small business, energy and the cost of living. Before journalism he spent "
            "six years as a bookkeeper for traders in the inner city."
        ),
        "links": [
            ("linkedin", "https://www.linkedin.com/in/pieter-steyn-herald"),
            ("x", "https://x.com/pietersteyn_biz"),
        ],
    },
    "amina": {
        "name": "Amina Osman",
        "role": "Sport and culture reporter",
        "bio": (
            "Amina covers football, school sport and the city's music scene. She has run the Soweto route "
            "four times and finished it three."
        ),
        "links": [
            ("instagram", "https://www.instagram.com/amina.on.the.beat"),
            ("tiktok", "https://www.tiktok.com/@amina.on.the.beat"),
        ],
    },
}

# key: (name, description, has a public page)
PEOPLE = {
    "mahlangu": ("Palesa Mahlangu", "Mayoral committee member for transport", True),
    "govender": ("Kavitha Govender", "Head of water services for the city", True),
    "maake": ("Tshepiso Maake", "Senior forecaster at the provincial weather office", True),
    "sithole": ("Lerato Sithole", "Spokesperson for the provincial health department", True),
    "khoza": ("Jabulani Khoza", "Spokesperson for the provincial roads agency", True),
    "ndlovu": ("Captain Mpho Ndlovu", "Johannesburg police spokesperson", True),
    "botha": ("Annelie Botha", "Chief executive of the Highveld Business Chamber", True),
    "mabaso": ("Lucky Mabaso", "Spokesperson for the Greater Soweto Taxi Alliance", True),
    "naidoo": ("Reza Naidoo", "Founder of the delivery start-up Kasi Drop", True),
    "radebe": ("Sibusiso Radebe", "Head coach of Highveld City FC", True),
    "mthembu": ("Grace Mthembu", "Race director of the Soweto Heritage Run", True),
    "kekana": ("Karabo Kekana", "Director of the Newtown Jazz Weekend", True),
    "zulu": ("Themba Zulu", "Head librarian in Yeoville", True),
    # Members of the public: named in stories, no page of their own.
    "sizwe": ("Sizwe", "", False),
    "nosipho": ("Nosipho", "", False),
    "marietjie": ("Marietjie", "", False),
    "thandeka": ("Thandeka", "", False),
    "kabelo": ("Kabelo", "", False),
    "fatima": ("Fatima", "", False),
    "bongani": ("Bongani", "", False),
    "lwazi": ("Lwazi", "", False),
    "abdi": ("Abdi", "", False),
}
