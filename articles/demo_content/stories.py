"""The demo stories: invented, in the shape of a week's news from a Johannesburg newsroom.

``hours_ago`` places each story relative to the moment the content loads (negative: scheduled).
Links in bodies name other demo content as ``{story:key}`` or ``{section:key}``; the loader turns
them into the site's own addresses. Quotes are (person, words, introduction, context).
"""

STORIES = [
    {
        "key": "night-buses",
        "headline": "Night buses to link Soweto and Sandton from next month after council vote",
        "standfirst": (
            "Three new routes will run until midnight on weekdays, the first time the city's buses have "
            "carried passengers after 9pm in more than a decade."
        ),
        "section": "news",
        "authors": ["nomvula"],
        "tags": ["Transport", "Soweto", "Sandton", "City council"],
        "hours_ago": 3,
        "home_position": 1,
        "image": "dusk-skyline",
        "caption": "The first night routes start on the first Monday of next month.",
        "quotes": [
            (
                "mahlangu",
                "Shift workers have been paying for private transport at night because we gave them no choice. "
                "That ends next month.",
                "",
                "speaking after Tuesday's council sitting",
            ),
            (
                "nosipho",
                "I finish at ten. Right now almost a third of what I earn goes on getting home.",
                "a 52-year-old nurse who works night shifts in Rosebank",
                "",
            ),
            (
                "sizwe",
                "If the buses come on time, people will use them. If they don't, we will still be here.",
                "a 41-year-old taxi driver from Diepkloof",
                "",
            ),
        ],
        "body": """
<p>Johannesburg's council on Tuesday approved three night bus routes connecting Soweto, the inner city and
Sandton, ending years in which the municipal fleet stood parked after the evening rush.</p>
<p>The routes will run every 30 minutes until midnight from Monday to Friday and until 1am on Saturdays, as a
<strong>six-month trial</strong> starting on the first Monday of next month. Fares will match daytime trips,
and monthly tickets will be valid.</p>
<h2>Built around the night shift</h2>
<p>Palesa Mahlangu, the mayoral committee member for transport, told councillors the routes were drawn up
around hospital, retail and hospitality workers whose shifts end long after the last bus has left.</p>
<blockquote><p>Shift workers have been paying for private transport at night because we gave them no choice.
That ends next month.</p></blockquote>
<p>Nosipho, a 52-year-old nurse who works night shifts in Rosebank, said the change could not come soon
enough. "I finish at ten. Right now almost a third of what I earn goes on getting home," she said.</p>
<h2>Taxi drivers are watching</h2>
<p>Minibus taxis carry most of the city's commuters, and associations were consulted on the routes, which
avoid the busiest taxi corridors. Sizwe, a 41-year-old taxi driver from Diepkloof, was unworried. "If the
buses come on time, people will use them. If they don't, we will still be here," he said.</p>
<h2>Lights and guards at the stops</h2>
<p>The council set aside <strong>R18 million</strong> for lighting and security guards at 42 stops along
the routes. Opposition councillors asked how the city would keep buses running on time when a quarter of
the fleet is in for repairs, and the trial will be reviewed after three months.</p>
<p>Read our commentary: <a href="{story:night-bus-opinion}">the plan is a good start, but waiting for a bus
at night has to feel safe</a>.</p>
""",
    },
    {
        "key": "water-repairs",
        "headline": "Water to return to western suburbs by Friday as reservoir repairs near completion",
        "standfirst": (
            "Crews have replaced a cracked outlet valve at the Kloofsig reservoir that left about 40,000 "
            "households with low pressure or dry taps since Sunday."
        ),
        "section": "news",
        "authors": ["nomvula", "amina"],
        "tags": ["Water", "Infrastructure", "City council"],
        "hours_ago": 9,
        "updated_hours_later": 4,
        "home_position": 2,
        "image": "morning-reservoir",
        "caption": "The reservoir is being refilled slowly to protect the pipes downhill.",
        "quotes": [
            (
                "govender",
                "We know people have been patient for five days. The new valve is in, and we are filling the "
                "reservoir slowly so that we don't burst the older pipes below it.",
                "",
                "at a briefing at the reservoir",
            ),
            (
                "marietjie",
                "I have been carrying buckets from my neighbour's borehole. At my age that is not a small thing.",
                "a 67-year-old pensioner in Westdene",
                "",
            ),
        ],
        "body": """
<p>Taps in Westdene, Brixton, Crosby and parts of Melville should run normally again <strong>by Friday
morning</strong>, the city's water services said on Wednesday, after engineers fitted a new outlet valve at
the Kloofsig reservoir.</p>
<h2>What went wrong</h2>
<p>A crack in the valve was found during a routine inspection on Sunday. Engineers closed the outlet to stop
the reservoir draining, which cut supply to the higher-lying streets and left others with a trickle.</p>
<p>Kavitha Govender, the city's head of water services, said the reservoir was being refilled in stages.</p>
<blockquote><p>We know people have been patient for five days. The new valve is in, and we are filling the
reservoir slowly so that we don't burst the older pipes below it.</p></blockquote>
<h2>Where to get water until then</h2>
<p>Tankers will stay at these points until supply is back:</p>
<ul>
<li>Westdene: the corner of the park opposite the dam, 6am to 8pm</li>
<li>Brixton: outside the community hall, 6am to 8pm</li>
<li>Melville: the library parking area, 8am to 6pm</li>
</ul>
<p>Marietjie, a 67-year-old pensioner in Westdene, has relied on a neighbour. "I have been carrying buckets
from my neighbour's borehole. At my age that is not a small thing," she said.</p>
<p>Residents who still have no water on Friday afternoon can log a fault with the city's call centre, quoting
the reservoir's name. Updated on Wednesday evening with the tanker times.</p>
""",
    },
    {
        "key": "storm-warning",
        "headline": "Yellow warning for severe storms: what it means for Johannesburg this weekend",
        "standfirst": (
            "Forecasters expect hail, strong wind and heavy rain from Friday afternoon. Here is what the "
            "warning levels mean and how to prepare."
        ),
        "section": "news",
        "kind": "explainer",
        "authors": ["amina"],
        "tags": ["Weather", "Gauteng"],
        "hours_ago": 20,
        "image": "storm-veld",
        "caption": "Thunderstorms usually arrive in the late afternoon.",
        "quotes": [
            (
                "maake",
                "The ground is already soaked after last week's rain, so even an ordinary storm can flood "
                "low-lying roads within minutes.",
                "",
                "in a statement on Thursday",
            ),
        ],
        "body": """
<p>The provincial weather office has issued a <strong>yellow level 4 warning</strong> for severe
thunderstorms over Johannesburg, Ekurhuleni and Tshwane from Friday afternoon into Saturday night.</p>
<h2>What the colours mean</h2>
<p>Warnings combine how likely a storm is with how much damage it could do:</p>
<ol>
<li><strong>Yellow</strong>: be aware. Damage is possible, mostly to property and roads.</li>
<li><strong>Orange</strong>: be prepared. Damage is likely and some areas may be cut off.</li>
<li><strong>Red</strong>: take action. Severe damage and danger to life are expected.</li>
</ol>
<h2>Why this weekend worries forecasters</h2>
<blockquote><p>The ground is already soaked after last week's rain, so even an ordinary storm can flood
low-lying roads within minutes.</p></blockquote>
<p>Tshepiso Maake, a senior forecaster at the provincial weather office, said hail the size of marbles was
possible in the south of the city.</p>
<h2>How to prepare</h2>
<ul>
<li>Do not drive through flowing water, even if it looks shallow.</li>
<li>Park under cover if you can, and bring in anything the wind can lift.</li>
<li>Keep a torch and a charged phone ready in case the power trips.</li>
</ul>
<figure class="embed"><a href="https://www.youtube.com/watch?v=hv4Wt0Gk1sE">https://www.youtube.com/watch?v=hv4Wt0Gk1sE</a>
<figcaption>The weather office's Thursday briefing, with the radar picture for Friday.</figcaption></figure>
<p>The storms have already moved one fixture: the <a href="{story:netball-indoors}">schools netball final
will be played indoors</a>.</p>
""",
    },
    {
        "key": "clinic-hours",
        "headline": "Hillbrow clinic to stay open until 9pm as queues stretch around the block",
        "standfirst": (
            "The provincial health department says longer hours start on Monday, with two extra nurses and a "
            "pharmacist on the evening shift."
        ),
        "section": "news",
        "authors": ["nomvula"],
        "tags": ["Health", "Hillbrow"],
        "hours_ago": 30,
        "quotes": [
            (
                "sithole",
                "Nobody should have to choose between a day's pay and seeing a nurse.",
                "",
                "announcing the new hours",
            ),
            (
                "thandeka",
                "I was here before five with my son and we were seen after lunch. I lost a whole day's work.",
                "a 29-year-old mother of two from Hillbrow",
                "",
            ),
        ],
        "body": """
<p>A community clinic in Hillbrow will stay open until 9pm on weekdays from Monday, the provincial health
department said, after months in which patients began queueing before dawn.</p>
<p>Lerato Sithole, the department's spokesperson, said the evening shift would be staffed by two extra nurses
and a pharmacist, so that people collecting chronic medication could do so after work.
"Nobody should have to choose between a day's pay and seeing a nurse," she said.</p>
<h2>Before dawn, with children</h2>
<p>Thandeka, a 29-year-old mother of two from Hillbrow, said she had arrived before five on Tuesday with her
son, who had an ear infection. "We were seen after lunch. I lost a whole day's work," she said.</p>
<h2>Will it be enough?</h2>
<p>Health workers' unions welcomed the change but said the clinic also needed more consulting rooms. The
department said a <em>mobile unit</em> would park beside the clinic on Saturdays from next month.</p>
""",
    },
    {
        "key": "m1-roadworks",
        "headline": "Lane closures on the M1 north for resurfacing until March",
        "standfirst": (
            "Motorists are asked to allow an extra 20 minutes at peak times while one lane in each direction "
            "is closed between the city and Marlboro."
        ),
        "section": "news",
        "authors": [],
        "source": "metro-wire",
        "original_url": "https://metrowire.example/transport/m1-north-resurfacing-lane-closures",
        "tags": ["Transport", "Roads"],
        "hours_ago": 26,
        "quotes": [
            (
                "khoza",
                "We would rather close one lane for three months than close the whole road for a week when the "
                "surface fails.",
                "",
                "",
            ),
        ],
        "body": """
<p>Resurfacing work on the M1 north between the inner city and the Marlboro interchange started on Monday and
is expected to last until the end of March, the provincial roads agency said.</p>
<p>One lane in each direction will be closed <strong>from 9am to 3pm on weekdays</strong> and for most of
each weekend. All lanes will be open during the morning and evening peaks where the work allows.</p>
<h2>Why now</h2>
<p>Jabulani Khoza, the agency's spokesperson, said inspections last winter found the surface was breaking up
on several bridges. "We would rather close one lane for three months than close the whole road for a week
when the surface fails," he said.</p>
<p>Taxi and bus operators have been told about the closures. Drivers can check daily lane plans on the
agency's traffic page.</p>
<figure class="embed"><a href="https://www.google.com/maps/embed?pb=!1m14!1m12!1m3!1d57310.2!2d28.05!3d-26.12!2m3!1f0!2f0!3f0!3m2!1i1024!2i768!4f13.1!5e0!3m2!1sen!2sza">https://www.google.com/maps/embed?pb=!1m14!1m12!1m3!1d57310.2!2d28.05!3d-26.12!2m3!1f0!2f0!3f0!3m2!1i1024!2i768!4f13.1!5e0!3m2!1sen!2sza</a>
<figcaption>The stretch of the M1 north being resurfaced, from the inner city to Marlboro.</figcaption></figure>
""",
    },
    {
        "key": "cable-theft",
        "headline": "Three arrested after cable theft halts trains between Johannesburg and Soweto",
        "standfirst": (
            "Police say the suspects were found with cutting equipment and 300 metres of copper cable in a "
            "bakkie parked near the line."
        ),
        "section": "news",
        "authors": ["nomvula"],
        "tags": ["Crime", "Transport", "Soweto"],
        "hours_ago": 50,
        "quotes": [
            (
                "ndlovu",
                "These are not petty thieves. They had cutting equipment, a lookout and a bakkie waiting.",
                "",
                "speaking outside the police station on Monday",
            ),
            (
                "kabelo",
                "When the trains stop, I spend double on taxis and I'm still late for lectures.",
                "a 19-year-old student who commutes from Naledi",
                "",
            ),
        ],
        "body": """
<p>Three men were arrested early on Monday after a security patrol found them beside the railway line near
New Canada station, hours after cable theft stopped trains on the Soweto line for the third time this
month.</p>
<blockquote><p>These are not petty thieves. They had cutting equipment, a lookout and a bakkie
waiting.</p></blockquote>
<p>Captain Mpho Ndlovu, the Johannesburg police spokesperson, said the men would appear in court on
Wednesday on charges of <strong>theft and tampering with essential infrastructure</strong>, which carries
a heavier sentence than ordinary theft.</p>
<h2>Commuters pay twice</h2>
<p>Kabelo, a 19-year-old student who commutes from Naledi, said each outage cost him more than money. "When
the trains stop, I spend double on taxis and I'm still late for lectures," he said.</p>
<p>The rail operator said a bus shuttle would run until the signals were repaired, probably by Thursday.
The city's <a href="{story:night-buses}">new night bus routes</a> will not serve the line.</p>
<p>https://x.com/joburgrail/status/1864000000000000001</p>
""",
    },
    {
        "key": "solar-traders",
        "headline": "Fordsburg traders club together for rooftop solar to keep their stalls running",
        "standfirst": (
            "Twelve shop owners on one block have shared the cost of panels and batteries, and say their "
            "freezers no longer thaw when the power goes."
        ),
        "section": "business",
        "authors": ["pieter"],
        "tags": ["Small business", "Electricity", "Fordsburg"],
        "hours_ago": 14,
        "home_position": 3,
        "image": "solar-roofs",
        "caption": "The panels cover three roofs on the block and feed one shared battery room.",
        "quotes": [
            (
                "fatima",
                "When the power went, I used to close. Now the lights stay on and customers know they can come.",
                "a 35-year-old who runs a spice stall in Fordsburg",
                "",
            ),
            (
                "botha",
                "What these traders did on one street is what we want to see on a hundred streets.",
                "",
                "at the chamber's small-business breakfast",
            ),
        ],
        "body": """
<p>When the lights went out last winter, the spice sellers, tailors and grocers on one Fordsburg block lost
stock, customers and patience. This year they did something about it: twelve of them pooled their money
for <strong>rooftop panels and a shared battery room</strong>.</p>
<h2>How the deal works</h2>
<p>Each trader paid a deposit of R6,000 and pays a monthly share of a three-year loan, worked out from how much
power their shop uses. A meter on every stall keeps the split fair, and the landlord agreed to the panels in
exchange for lower rent increases.</p>
<p>Fatima, a 35-year-old who runs a spice stall, said the difference was immediate.</p>
<blockquote><p>When the power went, I used to close. Now the lights stay on and customers know they can
come.</p></blockquote>
<h2>A model for other streets?</h2>
<p>Annelie Botha, chief executive of the Highveld Business Chamber, said the chamber wanted banks to offer the
same kind of shared loan to other groups of traders. "What these traders did on one street is what we want
to see on a hundred streets," she said.</p>
<p>Read more about small business in our <a href="{section:business}">Business section</a>.</p>
""",
    },
    {
        "key": "taxi-fares",
        "headline": "Taxi fares to stay flat this month as fuel price eases, associations say",
        "standfirst": (
            "A lower petrol price gives operators some room, but most associations say they will hold fares "
            "rather than cut them after two years of rising costs."
        ),
        "section": "business",
        "authors": [],
        "source": "veld-business",
        "original_url": "https://veldbusiness.example/markets/taxi-fares-hold-as-fuel-eases",
        "tags": ["Transport", "Fuel price", "Cost of living"],
        "hours_ago": 40,
        "quotes": [
            (
                "mabaso",
                "Our members have carried higher costs for two years. A small drop at the pump lets us stop "
                "raising fares. It does not let us cut them.",
                "",
                "",
            ),
        ],
        "body": """
<p>Minibus taxi fares on most Johannesburg routes will stay the same this month, associations said on
Wednesday, even though the petrol price came down at midnight.</p>
<p>Lucky Mabaso, spokesperson for the Greater Soweto Taxi Alliance, said operators had absorbed increases in
insurance, parts and loan repayments. "Our members have carried higher costs for two years. A small drop at
the pump lets us stop raising fares. It does not let us cut them," he said.</p>
<h2>What commuters pay</h2>
<p>A single trip between Soweto and the city centre costs between R22 and R26, depending on the rank. For a
commuter making two trips each working day, fares take up a <em>large share</em> of a minimum-wage income.</p>
<p>Economists expect the fuel price to rise again early next year.</p>
""",
    },
    {
        "key": "delivery-startup",
        "headline": "Township delivery start-up raises R40 million to reach more Soweto streets",
        "standfirst": (
            "Kasi Drop, which delivers groceries and parcels where the big apps do not go, will use the money "
            "for electric scooters and a second depot."
        ),
        "section": "business",
        "authors": ["pieter"],
        "tags": ["Small business", "Soweto", "Start-ups"],
        "hours_ago": 75,
        "quotes": [
            (
                "naidoo",
                "Big delivery apps draw a line around the suburbs. We start where that line stops.",
                "",
                "in an interview at the company's Orlando depot",
            ),
            (
                "bongani",
                "I know every street here. The scooters mean I can do more trips before it gets dark.",
                "a 28-year-old delivery rider",
                "",
            ),
        ],
        "body": """
<p>A Soweto delivery company started four years ago with two bicycles has raised <strong>R40 million</strong>
from local investors, its founder said on Monday, in one of the largest funding rounds this year for a
business based in a township.</p>
<blockquote><p>Big delivery apps draw a line around the suburbs. We start where that line stops.</p>
</blockquote>
<p>Reza Naidoo, who founded Kasi Drop, said the company delivers from spaza shops and small supermarkets to
homes that larger apps do not serve, using riders who live in the areas they cover.</p>
<h2>Scooters and a second depot</h2>
<p>The money will buy 150 electric scooters and open a depot in Protea Glen. Bongani, a 28-year-old rider,
said the scooters would change his day. "I know every street here. The scooters mean I can do more trips
before it gets dark," he said.</p>
<p>The company says it now employs 220 riders, most of them under 30.</p>
""",
    },
    {
        "key": "highveld-city-win",
        "headline": "Late header keeps Highveld City's title hopes alive",
        "standfirst": (
            "A goal four minutes from time gave the home side a 2-1 win on a wet night, and left them two "
            "points off the top with three games to play."
        ),
        "section": "sport",
        "authors": ["amina"],
        "tags": ["Football", "Highveld City FC"],
        "hours_ago": 18,
        "image": "floodlit-pitch",
        "caption": "Highveld City play their last home game of the season in two weeks.",
        "quotes": [
            (
                "radebe",
                "We were not good for eighty minutes. But this group does not stop running, and that is why we "
                "are still in the race.",
                "",
                "after the match",
            ),
        ],
        "body": """
<p>Highveld City kept their title hopes alive on Saturday night, when a header from a corner four minutes
from time gave them a <strong>2-1 win</strong> over a side that had not lost away since August.</p>
<h2>A slow start in the rain</h2>
<p>The visitors scored first, midway through the first half, and City's passing suffered on a pitch soaked by
an afternoon storm. The equaliser came from a penalty after the break.</p>
<blockquote><p>We were not good for eighty minutes. But this group does not stop running, and that is why we
are still in the race.</p></blockquote>
<p>Coach Sibusiso Radebe was honest about his side's performance, but pleased with their fight.</p>
<h2>What comes next</h2>
<p>City are two points behind the leaders with three games left, and their final home match is against the
league leaders. Tickets go on sale on Tuesday.</p>
""",
    },
    {
        "key": "heritage-run",
        "headline": "Entries open for the Soweto Heritage Run, with a new route past Vilakazi Street",
        "standfirst": (
            "The 21km race changes course for the first time in six years, and organisers have added a 5km "
            "fun run for families."
        ),
        "section": "sport",
        "authors": ["amina"],
        "tags": ["Running", "Soweto"],
        "hours_ago": 60,
        "image": "koppie-sunrise",
        "caption": "Runners start before sunrise to beat the heat.",
        "quotes": [
            (
                "mthembu",
                "We wanted runners to see the streets that made this township famous, not just a highway.",
                "",
                "",
            ),
        ],
        "body": """
<p>Entries for the Soweto Heritage Run opened on Thursday, with a new route that takes the 21km field past
Vilakazi Street and the Hector Pieterson Memorial before finishing at the Orlando stadium precinct.</p>
<p>Grace Mthembu, the race director, said the change had been requested by runners for years. "We wanted
runners to see the streets that made this township famous, not just a highway," she said.</p>
<h2>Key details</h2>
<ul>
<li><strong>Distances:</strong> 21km, 10km and a new 5km family fun run</li>
<li><strong>Start:</strong> 5.30am for the 21km</li>
<li><strong>Entries:</strong> capped at 8,000 runners</li>
</ul>
<p>Roads along the route will close from 4am on race day.</p>
""",
    },
    {
        "key": "netball-indoors",
        "headline": "Schools netball final moved indoors as storm warning stays in place",
        "standfirst": (
            "The under-16 final between two Soweto schools will be played at an indoor arena in Doornfontein "
            "instead of on outdoor courts."
        ),
        "section": "sport",
        "authors": ["amina"],
        "tags": ["Netball", "Schools", "Weather", "Soweto"],
        "hours_ago": 22,
        "quotes": [],
        "body": """
<p>The provincial schools netball final will be played indoors on Saturday, organisers said on Friday, after
forecasters issued a <a href="{story:storm-warning}">yellow warning for severe storms</a> over the
weekend.</p>
<p>The under-16 final brings together two Soweto schools that have each won the title once. Organisers said
the indoor arena seats 2,000 people, and entry is free for learners in school uniform.</p>
<h2>A season of rain</h2>
<p>It is the third schools fixture this term moved because of the weather. Coaches have asked the province to
book indoor venues for knockout rounds by default next season.</p>
""",
    },
    {
        "key": "jazz-weekend",
        "headline": "Newtown Jazz Weekend returns with a free afternoon stage for young bands",
        "standfirst": (
            "Twenty-four acts will play across three stages, and for the first time one of them costs nothing to enter."
        ),
        "section": "arts",
        "authors": ["amina"],
        "tags": ["Festivals", "Music", "Newtown"],
        "hours_ago": 35,
        "image": "jazz-lights",
        "caption": "Evening shows run until 11pm on both nights.",
        "quotes": [
            (
                "kekana",
                "Every headliner on our main stage started out playing to twenty people in a bar. The free stage "
                "is where the next ones start.",
                "",
                "at the programme launch",
            ),
            (
                "lwazi",
                "Tickets for the main stage are out of reach for most students, so the free stage is how we get "
                "to hear live music at all.",
                "a 24-year-old music student",
                "",
            ),
        ],
        "body": """
<p>The Newtown Jazz Weekend returns to the cultural precinct next month with 24 acts on three stages, and for
the first time, one stage will be <strong>free to enter</strong> every afternoon.</p>
<p>Karabo Kekana, the festival's director, said the free stage was meant for bands that had never played a
festival before.</p>
<blockquote><p>Every headliner on our main stage started out playing to twenty people in a bar. The free
stage is where the next ones start.</p></blockquote>
<h2>Who is playing</h2>
<p>The programme mixes established quartets with young bands from Soweto, Tembisa and Pretoria, and a
Sunday-morning set for children. Lwazi, a 24-year-old music student, said price mattered. "Tickets for the
main stage are out of reach for most students, so the free stage is how we get to hear live music at all,"
he said.</p>
<figure class="embed"><a href="https://soundcloud.com/newtown-jazz/free-stage-sessions-2025">https://soundcloud.com/newtown-jazz/free-stage-sessions-2025</a>
<figcaption>Last year's free-stage sessions, recorded by the festival.</figcaption></figure>
<p>Road closures and shuttle details will be published the week before the festival.</p>
""",
    },
    {
        "key": "yeoville-library",
        "headline": "Yeoville library reopens with late hours, a makerspace and a waiting list for the 3D printer",
        "standfirst": (
            "After two years of repairs, the library is open until 8pm, and its new workshop has been booked "
            "out for a month."
        ),
        "section": "arts",
        "kind": "feature",
        "authors": ["nomvula"],
        "tags": ["Libraries", "Yeoville", "Schools"],
        "hours_ago": 96,
        "quotes": [
            (
                "zulu",
                "People think libraries are about being quiet. This one is about being allowed to try things.",
                "",
                "",
            ),
            (
                "abdi",
                "I come after work to use the computers. At home there is no space and no signal.",
                "a 33-year-old bookkeeper",
                "",
            ),
        ],
        "body": """
<p>On the first evening after Yeoville's library reopened, the queue was not for books. It was for a
<strong>3D printer</strong>, set up in a room that used to hold old newspapers.</p>
<h2>Two years of repairs</h2>
<p>The library closed after a roof leak damaged its ceilings and much of its stock. The repairs took two
years, and the reopened building has a new reading room, twenty computers, and a makerspace with a 3D
printer, sewing machines and a soldering bench.</p>
<blockquote><p>People think libraries are about being quiet. This one is about being allowed to try
things.</p></blockquote>
<p>Themba Zulu, the head librarian, said the workshop was booked for a month within two days.</p>
<h2>Open late</h2>
<p>The library now stays open until 8pm on weekdays. Abdi, a 33-year-old bookkeeper, was using the computers
on his way home. "I come after work to use the computers. At home there is no space and no signal,"
he said.</p>
""",
    },
    {
        "key": "night-bus-opinion",
        "headline": "The night bus plan is a good start. Now make waiting for one feel safe",
        "standfirst": (
            "A bus that comes every half hour is only useful if people are willing to stand at the stop "
            "for it. That is where the city's plan is thinnest."
        ),
        "section": "opinion",
        "kind": "commentary",
        "authors": ["pieter"],
        "tags": ["Transport", "City council"],
        "hours_ago": 5,
        "image": "dusk-skyline",
        "caption": "Most of the new stops are on streets that empty after dark.",
        "quotes": [],
        "body": """
<p>Credit where it is due: the council's vote to run <a href="{story:night-buses}">buses until midnight</a>
is the most useful thing it has done for shift workers in years. Nurses, cleaners, cooks and security guards
have been paying private drivers or sleeping at work because the city's buses went to bed at nine.</p>
<h2>The stop is the weak point</h2>
<p>But a timetable is not a service. A bus every thirty minutes means up to half an hour standing at a stop,
at night, on streets that empty after the shops close. R18 million for lights and guards at 42 stops sounds
like a lot until you divide it by six months.</p>
<p>The trial will be judged on how many people ride. If riders stay away because the wait feels dangerous,
the council will conclude that nobody wanted night buses, and the routes will quietly end.</p>
<h2>What would help</h2>
<ul>
<li>Real-time arrival times at every stop, so nobody waits longer than they must.</li>
<li>Guards who stay until the last bus has passed, not until the end of a shift.</li>
<li>A monthly report on how late buses ran, published where riders can see it.</li>
</ul>
<p>None of this is expensive. All of it decides whether the trial succeeds.</p>
""",
    },
    # Not yet public: a draft in progress and a story scheduled for tomorrow morning.
    {
        "key": "rates-debate",
        "headline": "Council to debate property rates increase of 6.8% next week",
        "standfirst": "Ratepayers' groups say the increase is above inflation for the third year running.",
        "section": "news",
        "status": "draft",
        "authors": ["nomvula"],
        "tags": ["City council", "Cost of living"],
        "quotes": [],
        "body": """
<p>The council will debate a proposed property rates increase of 6.8% at its sitting next Thursday.</p>
<h2>Still to report</h2>
<p>Reaction from ratepayers' groups and the finance committee chair.</p>
""",
    },
    {
        "key": "jazz-road-closures",
        "headline": "Newtown Jazz Weekend road closures: routes, parking and shuttles",
        "standfirst": "Several streets in the cultural precinct close from Friday evening. Here is how to get there.",
        "section": "arts",
        "kind": "explainer",
        "authors": ["amina"],
        "tags": ["Festivals", "Newtown", "Transport"],
        "hours_ago": -20,
        "quotes": [],
        "body": """
<p>Streets around the cultural precinct will close from 6pm on Friday until the last show ends on Sunday, for
the <a href="{story:jazz-weekend}">Newtown Jazz Weekend</a>.</p>
<h2>Getting there</h2>
<p>Free shuttles will run every 15 minutes from the Park Station bus bays and from two parking areas west of
the precinct.</p>
""",
    },
]


# Series: running subjects told in several stories, each listed in the order readers should follow it.
SERIES = [
    {
        "name": "Getting around Joburg",
        "description": (
            "How the city's commuters get to work and home again: the night buses, the roadworks and the fares "
            "that decide what a trip costs."
        ),
        "image": "dusk-skyline",
        "stories": ["night-buses", "night-bus-opinion", "m1-roadworks", "taxi-fares", "cable-theft"],
    },
]


# Embeds in the stories above, with what their providers' oEmbed endpoints would have answered, so the
# demo shows facades without asking anyone on the internet. Thumbnails are painted from the pictures.
EMBEDS = [
    {
        "url": "https://www.youtube.com/watch?v=hv4Wt0Gk1sE",
        "title": "Severe weather briefing: what Friday's storms could bring",
        "author_name": "Highveld Weather Office",
        "thumbnail": "storm-veld",
        "size": (640, 360),
    },
    {
        "url": (
            "https://www.google.com/maps/embed?pb=!1m14!1m12!1m3!1d57310.2!2d28.05!3d-26.12!2m3!1f0!2f0!3f0"
            "!3m2!1i1024!2i768!4f13.1!5e0!3m2!1sen!2sza"
        ),
        "title": "M1 north, inner city to Marlboro",
        "author_name": "",
        "thumbnail": None,
        "size": (600, 450),
    },
    {
        "url": "https://x.com/joburgrail/status/1864000000000000001",
        "title": "Soweto line: buses replace trains between Naledi and Park Station until the signals are repaired.",
        "author_name": "Joburg Rail",
        "thumbnail": None,
        "size": (None, None),
    },
    {
        "url": "https://soundcloud.com/newtown-jazz/free-stage-sessions-2025",
        "title": "Free Stage Sessions 2025",
        "author_name": "Newtown Jazz Weekend",
        "thumbnail": "jazz-lights",
        "size": (None, 166),
    },
]
