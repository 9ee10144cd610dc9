"""Illustrations for the demo stories, painted with Pillow when the demo content loads.

Each picture is a short list of painting steps (sky, sun, ridges, skyline...) drawn in order on
one canvas, so the same spec always gives the same picture.
"""

import io
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFilter

Colour = tuple[int, int, int]
Step = Callable[[Image.Image, random.Random], Image.Image]

WIDTH, HEIGHT = 1600, 900


@dataclass(frozen=True)
class Picture:
    key: str
    title: str
    alt_text: str
    caption: str
    steps: Sequence[Step] = field(repr=False)
    seed: int = 1
    credit: str = "Highveld Herald graphics desk"


def paint(picture: Picture, *, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """The picture as JPEG bytes."""
    rng = random.Random(picture.seed)
    canvas = Image.new("RGB", (width, height))
    for step in picture.steps:
        canvas = step(canvas, rng)
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=84, optimize=True, progressive=True)
    return buffer.getvalue()


def _overlay(
    canvas: Image.Image, colour: Colour, draw: Callable[[ImageDraw.ImageDraw], None], blur: float = 0
) -> Image.Image:
    """Draw on a transparent layer, soften it, and lay it over the canvas.

    The layer's transparent pixels carry the drawing colour so blurred edges do not darken.
    """
    layer = Image.new("RGBA", canvas.size, (*colour, 0))
    draw(ImageDraw.Draw(layer))
    if blur:
        layer = layer.filter(ImageFilter.GaussianBlur(blur))
    return Image.alpha_composite(canvas.convert("RGBA"), layer).convert("RGB")


def sky(top: Colour, bottom: Colour, horizon: float = 0.75) -> Step:
    """A vertical gradient from ``top`` to ``bottom``, reaching ``bottom`` at the horizon."""

    def step(canvas, rng):
        w, h = canvas.size
        ramp = Image.linear_gradient("L").resize((1, int(h * horizon))).resize((w, int(h * horizon)))
        mask = Image.new("L", (w, h), 255)
        mask.paste(ramp, (0, 0))
        return Image.composite(Image.new("RGB", (w, h), bottom), Image.new("RGB", (w, h), top), mask)

    return step


def sun(colour: Colour, x: float, y: float, radius: float, glow: int = 110) -> Step:
    """A disc with a soft halo; position and radius are fractions of the width."""

    def step(canvas, rng):
        w, h = canvas.size
        cx, cy, r = x * w, y * h, radius * w

        def halo(d):
            d.ellipse((cx - r * 3, cy - r * 3, cx + r * 3, cy + r * 3), fill=(*colour, glow))

        def disc(d):
            d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*colour, 255))

        return _overlay(_overlay(canvas, colour, halo, blur=r * 1.5), colour, disc, blur=2)

    return step


def ridges(colours: Sequence[Colour], top: float, bottom: float, roughness: float = 0.06) -> Step:
    """Rolling hills, far to near: each layer lower on the picture and in a nearer colour."""

    def step(canvas, rng):
        w, h = canvas.size
        draw = ImageDraw.Draw(canvas)
        for n, colour in enumerate(colours):
            base = h * (top + (bottom - top) * n / max(1, len(colours) - 1))
            waves = [(rng.uniform(0.4, 1.0), rng.uniform(1, 4), rng.uniform(0, math.tau)) for _ in range(3)]
            points = [(0, h)]
            for x in range(0, w + 20, 20):
                lift = sum(a * math.sin(f * x / w * math.tau + p) for a, f, p in waves) / 3
                points.append((x, base - lift * h * roughness + rng.uniform(-2, 2)))
            points.append((w, h))
            draw.polygon(points, fill=colour)
        return canvas

    return step


def skyline(colour: Colour, window: Colour, base: float, tallest: float, lit: float = 0.25) -> Step:
    """A row of buildings in silhouette with a scatter of lit windows."""

    def step(canvas, rng):
        w, h = canvas.size
        draw = ImageDraw.Draw(canvas)
        x = -rng.randint(0, 40)
        while x < w:
            bw = rng.randint(40, 130)
            top = h * base - rng.uniform(0.15, 1.0) * h * tallest
            draw.rectangle((x, top, x + bw, h), fill=colour)
            if rng.random() < 0.15:
                draw.rectangle((x + bw // 2 - 2, top - h * 0.05, x + bw // 2 + 2, top), fill=colour)
            for wy in range(int(top) + 12, int(h * base) - 8, 18):
                for wx in range(x + 8, x + bw - 10, 14):
                    if rng.random() < lit:
                        draw.rectangle((wx, wy, wx + 6, wy + 8), fill=window)
            x += bw + rng.randint(0, 12)
        return canvas

    return step


def clouds(colour: Colour, count: int, top: float, bottom: float, alpha: int = 170) -> Step:
    """Banks of soft cloud between two heights."""

    def step(canvas, rng):
        w, h = canvas.size

        def draw(d):
            for _ in range(count):
                cx, cy = rng.uniform(-0.1, 1.1) * w, rng.uniform(top, bottom) * h
                for _ in range(6):
                    rx, ry = rng.uniform(60, 200), rng.uniform(30, 80)
                    ox, oy = rng.uniform(-150, 150), rng.uniform(-30, 30)
                    d.ellipse((cx + ox - rx, cy + oy - ry, cx + ox + rx, cy + oy + ry), fill=(*colour, alpha))

        return _overlay(canvas, colour, draw, blur=28)

    return step


def beams(colour: Colour, sources: Sequence[tuple[float, float]], alpha: int = 70) -> Step:
    """Floodlight beams fanning down from points high in the picture."""

    def step(canvas, rng):
        w, h = canvas.size

        def draw(d):
            for sx, sy in sources:
                x, y = sx * w, sy * h
                aim = (x + w / 2) / 2  # each tower lights the middle of the pitch
                d.polygon([(x, y), (aim - 0.22 * w, h), (aim + 0.22 * w, h)], fill=(*colour, alpha))
                d.ellipse((x - 16, y - 10, x + 16, y + 10), fill=(*colour, 255))

        return _overlay(canvas, colour, draw, blur=18)

    return step


def bokeh(colours: Sequence[Colour], count: int, alpha: int = 90) -> Step:
    """Overlapping translucent circles, like stage lights out of focus."""

    def step(canvas, rng):
        w, h = canvas.size

        def circles(colour):
            def draw(d):
                for _ in range(count // len(colours)):
                    r = rng.uniform(0.02, 0.09) * w
                    cx, cy = rng.uniform(0, w), rng.uniform(0, h)
                    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*colour, alpha))

            return draw

        for colour in colours:
            canvas = _overlay(canvas, colour, circles(colour), blur=6)
        return canvas

    return step


def water(tint: Colour, top: float, alpha: int = 150) -> Step:
    """A lake filling the lower picture: the sky mirrored, tinted and streaked with ripples."""

    def step(canvas, rng):
        w, h = canvas.size
        y = int(h * top)
        reflection = canvas.crop((0, max(0, 2 * y - h), w, y)).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
        reflection = reflection.resize((w, h - y))
        reflection = Image.blend(reflection, Image.new("RGB", reflection.size, tint), alpha / 255)
        canvas.paste(reflection, (0, y))
        draw = ImageDraw.Draw(canvas)
        for _ in range(90):
            ry = rng.uniform(y + 4, h)
            rx = rng.uniform(0, w)
            draw.line((rx, ry, rx + rng.uniform(30, 160), ry), fill=tuple(min(255, c + 40) for c in tint), width=2)
        return canvas

    return step


def rooftops(roof: Colour, panel: Colour, base: float) -> Step:
    """Low roofs along the bottom of the picture, some carrying rows of solar panels."""

    def step(canvas, rng):
        w, h = canvas.size
        draw = ImageDraw.Draw(canvas)
        x = -20
        while x < w:
            rw = rng.randint(160, 300)
            top = h * base + rng.uniform(-0.06, 0.06) * h
            draw.polygon([(x, h), (x, top + 40), (x + rw / 2, top), (x + rw, top + 40), (x + rw, h)], fill=roof)
            if rng.random() < 0.7:
                for px in range(int(x + 20), int(x + rw - 50), 36):
                    py = top + 46
                    draw.rectangle((px, py, px + 30, py + 22), fill=panel, outline=(220, 230, 240))
            x += rw + rng.randint(4, 20)
        return canvas

    return step


def field_band(colour: Colour, stripe: Colour, top: float) -> Step:
    """A mown pitch seen from the stands: a band of grass in alternating stripes."""

    def step(canvas, rng):
        w, h = canvas.size
        draw = ImageDraw.Draw(canvas)
        y = h * top
        draw.rectangle((0, y, w, h), fill=colour)
        for n in range(0, 12, 2):
            draw.polygon(
                [(n * w / 10, y), ((n + 1) * w / 10, y), ((n + 1.6) * w / 10, h), ((n + 0.4) * w / 10, h)], fill=stripe
            )
        draw.line((0, y + 30, w, y + 30), fill=(235, 240, 235), width=4)
        return canvas

    return step


PICTURES = [
    Picture(
        key="dusk-skyline",
        title="City skyline at dusk",
        alt_text="Illustration of a city skyline in silhouette against an orange and violet dusk sky, "
        "with a few office windows lit",
        caption="The inner city after dark.",
        seed=7,
        steps=[
            sky((58, 44, 110), (246, 146, 74), horizon=0.8),
            sun((255, 214, 140), 0.7, 0.6, 0.05),
            ridges([(121, 74, 110)], 0.74, 0.74, 0.03),
            skyline((38, 28, 56), (255, 204, 110), base=1.0, tallest=0.42, lit=0.2),
        ],
    ),
    Picture(
        key="storm-veld",
        title="Storm clouds over the veld",
        alt_text="Illustration of dark grey storm clouds building over green and ochre hills",
        caption="Afternoon storms build quickly over the Highveld in summer.",
        seed=11,
        steps=[
            sky((52, 62, 80), (150, 160, 168)),
            clouds((70, 76, 92), 9, 0.05, 0.45, alpha=210),
            clouds((196, 200, 206), 4, 0.35, 0.55, alpha=120),
            ridges([(120, 138, 120), (150, 128, 76), (88, 112, 64), (58, 84, 48)], 0.62, 0.9),
        ],
    ),
    Picture(
        key="morning-reservoir",
        title="Morning over a reservoir",
        alt_text="Illustration of a pale morning sun over low blue hills, reflected in still water",
        caption="Reservoirs on the city's ridges feed the western suburbs.",
        seed=3,
        steps=[
            sky((150, 190, 226), (250, 226, 190)),
            sun((255, 246, 214), 0.3, 0.42, 0.035, glow=90),
            ridges([(150, 170, 196), (112, 136, 168)], 0.5, 0.6, 0.04),
            water((70, 110, 150), 0.64),
        ],
    ),
    Picture(
        key="floodlit-pitch",
        title="Floodlit pitch",
        alt_text="Illustration of a football pitch at night under two floodlight towers, light fanning onto the grass",
        caption="Evening kick-offs draw the biggest crowds.",
        seed=5,
        steps=[
            sky((10, 16, 40), (40, 52, 92), horizon=0.6),
            skyline((16, 20, 34), (255, 230, 160), base=0.6, tallest=0.14, lit=0.05),
            field_band((46, 122, 60), (56, 138, 70), 0.6),
            beams((255, 248, 200), [(0.12, 0.1), (0.88, 0.08)], alpha=90),
        ],
    ),
    Picture(
        key="jazz-lights",
        title="Stage lights",
        alt_text="Abstract illustration of overlapping amber, magenta and teal circles of light on deep blue",
        caption="The festival's evening stages run until late.",
        seed=13,
        steps=[
            sky((14, 20, 56), (60, 24, 72), horizon=1.0),
            bokeh([(255, 176, 64), (232, 72, 140), (64, 200, 196), (255, 230, 160)], 55),
            bokeh([(255, 240, 200)], 12, alpha=140),
        ],
    ),
    Picture(
        key="solar-roofs",
        title="Solar panels on city roofs",
        alt_text="Illustration of low rooftops under a bright blue sky, several carrying rows of blue solar panels",
        caption="Rooftop panels on a row of shops.",
        seed=17,
        steps=[
            sky((64, 140, 214), (196, 226, 246)),
            sun((255, 244, 200), 0.84, 0.18, 0.04),
            clouds((255, 255, 255), 3, 0.15, 0.3, alpha=150),
            rooftops((150, 86, 66), (34, 72, 130), base=0.7),
        ],
    ),
    Picture(
        key="koppie-sunrise",
        title="Sunrise over the koppies",
        alt_text="Illustration of a sunrise behind layered rocky hills in shades of rust and plum",
        caption="Early starts are part of every long race on the Highveld.",
        seed=21,
        steps=[
            sky((250, 200, 140), (252, 236, 200)),
            sun((255, 250, 230), 0.5, 0.5, 0.06),
            ridges([(206, 140, 118), (168, 96, 92), (120, 62, 80), (70, 40, 62)], 0.5, 0.86, 0.09),
        ],
    ),
]
