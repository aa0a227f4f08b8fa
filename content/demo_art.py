"""Generated artwork for the demo: a soft background in the brand palette and a simple motif per kind
(nails, hair, skin, home care, a storefront, an interior, a portrait, event covers and photos).

Pillow only, nothing downloaded; the same kind, palette and seed always give the same picture. Cheap on
purpose (`make run` seeds on first start): the blurred background is drawn small and scaled up, and the
motifs are plain shapes drawn once at full size.
"""

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

# light, mid, dark: the palettes of shared/DESIGN.md (warm off-white, muted rose or sage, deep ink).
PALETTES = {
    "rose": ((246, 236, 231), (214, 170, 170), (140, 90, 100)),
    "sage": ((238, 243, 234), (168, 191, 160), (74, 104, 78)),
    "sand": ((248, 241, 228), (222, 196, 150), (128, 96, 52)),
    "ink": ((232, 234, 240), (150, 160, 190), (52, 60, 92)),
}
CREAM = (250, 247, 242)
INK = (43, 42, 51)
GOLD = (201, 164, 92)
ROSE = (183, 110, 121)
SAGE = (122, 150, 120)
POLISH = [(196, 92, 108), (222, 150, 150), (150, 60, 80), (233, 196, 180), (120, 70, 110), (190, 140, 90)]
SKIN_TONES = [(241, 214, 190), (224, 188, 160), (198, 150, 118), (160, 112, 84), (232, 200, 176)]
HAIR_TONES = [(40, 32, 30), (70, 48, 38), (110, 74, 52), (28, 28, 34), (140, 100, 70)]

KINDS = ("nails", "hair", "skin", "home", "store", "interior", "portrait", "event", "photo", "academy",
         "brand")
EVENT_KINDS = ("experience_day", "beta_test", "gathering", "training", "meetup")


def _mix(a, b, t):
    return tuple(int(a[i] * (1 - t) + b[i] * t) for i in range(3))


def _background(size, palette, rng):
    """A vertical wash from light to a touch of mid, with a few blurred blobs; drawn at 1/8 and scaled."""
    light, mid, dark = palette
    width, height = size
    small = (max(8, width // 8), max(8, height // 8))
    top, bottom = Image.new("RGB", small, light), Image.new("RGB", small, _mix(light, mid, .45))
    mask = Image.linear_gradient("L").resize(small)
    picture = Image.composite(bottom, top, mask)
    draw = ImageDraw.Draw(picture)
    for _ in range(rng.randint(4, 7)):
        radius = rng.randint(small[0] // 10, small[0] // 4)
        x, y = rng.randint(0, small[0]), rng.randint(0, small[1])
        colour = _mix(light, mid if rng.random() < .7 else dark, rng.uniform(.35, .8))
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=colour)
    picture = picture.filter(ImageFilter.GaussianBlur(radius=max(2, small[0] // 28)))
    return picture.resize(size, Image.BICUBIC)


def _rotated(points, cx, cy, angle):
    cos, sin = math.cos(angle), math.sin(angle)
    return [(cx + x * cos - y * sin, cy + x * sin + y * cos) for x, y in points]


def _almond(cx, cy, w, h, angle):
    """A nail shape: rounded tip at the top, straight sides, centred on (cx, cy)."""
    points = []
    for step in range(0, 181, 12):
        a = math.radians(180 + step)
        points.append((w / 2 * math.cos(a), -h / 2 + w / 2 * math.sin(a) * 1.6))
    points += [(w / 2, h / 2), (-w / 2, h / 2)]
    return _rotated(points, cx, cy, angle)


def _leaf(draw, cx, cy, length, angle, colour):
    points = []
    for step in range(0, 181, 15):
        t = step / 180
        points.append((t * length, math.sin(t * math.pi) * length * .22))
    for step in range(180, -1, -15):
        t = step / 180
        points.append((t * length, -math.sin(t * math.pi) * length * .22))
    draw.polygon(_rotated(points, cx, cy, angle), fill=colour)


def _sparkle(draw, cx, cy, r, colour):
    draw.polygon([(cx, cy - r), (cx + r * .25, cy - r * .25), (cx + r, cy), (cx + r * .25, cy + r * .25),
                  (cx, cy + r), (cx - r * .25, cy + r * .25), (cx - r, cy), (cx - r * .25, cy - r * .25)],
                 fill=colour)


def _bottle(draw, cx, base, w, h, body, cap):
    draw.rounded_rectangle([cx - w / 2, base - h, cx + w / 2, base], radius=w * .3, fill=body)
    draw.rectangle([cx - w * .18, base - h - w * .25, cx + w * .18, base - h], fill=CREAM)
    draw.rounded_rectangle([cx - w * .22, base - h - w * 1.05, cx + w * .22, base - h - w * .2],
                           radius=w * .08, fill=cap)
    draw.rounded_rectangle([cx - w * .32, base - h * .8, cx - w * .18, base - h * .3], radius=w * .06,
                           fill=_mix(body, CREAM, .45))


def _nails(draw, size, palette, rng):
    width, height = size
    u = min(size) / 100
    base = height * .82
    for n, x in enumerate((.18, .3, .42)[: rng.randint(2, 3)]):
        colour = POLISH[(rng.randint(0, 99) + n) % len(POLISH)]
        _bottle(draw, width * x, base, 13 * u, rng.uniform(20, 30) * u, colour, INK)
    # A fan of nail swatches on the right.
    pivot_x, pivot_y = width * rng.uniform(.66, .74), height * .9
    shades = rng.sample(POLISH, 5)
    for n in range(5):
        angle = math.radians(-40 + n * 20)
        nx = pivot_x + math.sin(angle) * 42 * u
        ny = pivot_y - math.cos(angle) * 42 * u
        draw.polygon(_almond(nx, ny, 11 * u, 22 * u, angle), fill=shades[n])
    for _ in range(5):
        _sparkle(draw, rng.uniform(.05, .95) * width, rng.uniform(.08, .45) * height, rng.uniform(1.5, 3) * u,
                 CREAM)


def _hair(draw, size, palette, rng):
    width, height = size
    u = min(size) / 100
    light, mid, dark = palette
    tones = [dark, _mix(dark, mid, .5), mid, HAIR_TONES[rng.randint(0, len(HAIR_TONES) - 1)]]
    phase = rng.uniform(0, math.pi)
    for n in range(7):
        points = []
        x0 = width * (.08 + n * .065)
        for step in range(41):
            t = step / 40
            points.append((x0 + math.sin(t * 3 * math.pi + phase + n * .4) * 6 * u + t * width * .22,
                           -5 * u + t * (height + 10 * u)))
        draw.line(points, fill=tones[n % len(tones)], width=int(4 * u), joint="curve")
    # A wide-tooth comb on the right.
    cx, cy, angle = width * .72, height * .5, math.radians(rng.uniform(-25, -10))
    spine = [(-30 * u, -5 * u), (30 * u, -5 * u), (30 * u, 3 * u), (-30 * u, 3 * u)]
    draw.polygon(_rotated(spine, cx, cy, angle), fill=INK)
    for k in range(11):
        x = -27 * u + k * 5.4 * u
        tooth = [(x, 3 * u), (x + 2.6 * u, 3 * u), (x + 2.6 * u, 20 * u), (x, 20 * u)]
        draw.polygon(_rotated(tooth, cx, cy, angle), fill=INK)


def _skin(draw, size, palette, rng):
    width, height = size
    u = min(size) / 100
    light, mid, dark = palette
    cx, base = width * rng.uniform(.36, .46), height * .82
    # A jar of cream: body, lid, and the cream's swirl beside it.
    draw.rounded_rectangle([cx - 20 * u, base - 24 * u, cx + 20 * u, base], radius=5 * u, fill=CREAM)
    draw.rounded_rectangle([cx - 22 * u, base - 33 * u, cx + 22 * u, base - 22 * u], radius=3 * u, fill=dark)
    draw.rectangle([cx - 20 * u, base - 14 * u, cx + 20 * u, base - 9 * u], fill=mid)
    sx, sy = width * .68, base - 8 * u
    for r in (16, 11, 6):
        draw.ellipse([sx - r * u, sy - r * .55 * u, sx + r * u, sy + r * .55 * u],
                     fill=_mix(CREAM, mid, (16 - r) / 30), outline=_mix(mid, CREAM, .3), width=int(u))
    for _ in range(4):
        dx, dy, r = width * rng.uniform(.55, .9), height * rng.uniform(.12, .45), rng.uniform(2.5, 4.5) * u
        draw.ellipse([dx - r, dy - r, dx + r, dy + r], fill=_mix(mid, CREAM, .5))
        draw.polygon([(dx - r * .85, dy - r * .5), (dx + r * .85, dy - r * .5), (dx, dy - r * 2.2)],
                     fill=_mix(mid, CREAM, .5))
    for n in range(3):
        _leaf(draw, width * .12, base - n * 6 * u, 24 * u, math.radians(-70 + n * 25), SAGE)


def _home(draw, size, palette, rng):
    width, height = size
    u = min(size) / 100
    light, mid, dark = palette
    base = height * .84
    # Rolled towels, three high.
    tx = width * rng.uniform(.18, .26)
    for row, count in enumerate((3, 2, 1)):
        for k in range(count):
            x = tx + (k + row * .5) * 17 * u
            y = base - row * 15 * u
            towel = _mix(CREAM, mid, .15 + .2 * ((k + row) % 2))
            draw.ellipse([x - 8 * u, y - 15 * u, x + 8 * u, y], fill=towel)
            draw.ellipse([x - 4 * u, y - 11 * u, x + 4 * u, y - 4 * u], outline=_mix(mid, dark, .3),
                         width=max(1, int(u * .8)))
    # A candle with its flame, and a sprig.
    cx = width * rng.uniform(.62, .7)
    draw.rounded_rectangle([cx - 9 * u, base - 26 * u, cx + 9 * u, base], radius=2 * u, fill=CREAM)
    draw.rectangle([cx - 9 * u, base - 14 * u, cx + 9 * u, base - 10 * u], fill=dark)
    draw.line([(cx, base - 26 * u), (cx, base - 29 * u)], fill=INK, width=max(1, int(u * .6)))
    draw.ellipse([cx - 2.5 * u, base - 37 * u, cx + 2.5 * u, base - 28 * u], fill=GOLD)
    for n in range(4):
        _leaf(draw, width * .82, base, 20 * u, math.radians(-120 + n * 22), SAGE if n % 2 else dark)


def _storefront(draw, size, palette, rng):
    width, height = size
    u = min(size) / 100
    light, mid, dark = palette
    left, right, top, ground = width * .14, width * .86, height * .12, height * .9
    draw.rectangle([0, ground, width, height], fill=_mix(light, mid, .35))
    draw.rectangle([left, top, right, ground], fill=CREAM)
    draw.rectangle([left, top, right, top + 10 * u], fill=dark)  # the sign band
    draw.rounded_rectangle([width * .42, top + 3 * u, width * .58, top + 7 * u], radius=2 * u, fill=GOLD)
    # A striped awning with a scalloped edge.
    awning_top, awning_bottom = top + 10 * u, top + 20 * u
    stripes = 12
    stripe = (right - left) / stripes
    for k in range(stripes):
        draw.rectangle([left + k * stripe, awning_top, left + (k + 1) * stripe, awning_bottom],
                       fill=mid if k % 2 else CREAM)
        draw.pieslice([left + k * stripe, awning_bottom - stripe / 2, left + (k + 1) * stripe,
                       awning_bottom + stripe / 2], 0, 180, fill=mid if k % 2 else CREAM)
    # Two windows and a door; warm light inside.
    glow = _mix(GOLD, CREAM, .55)
    for x0, x1 in ((.19, .4), (.6, .81)):
        draw.rectangle([width * x0, awning_bottom + 9 * u, width * x1, ground - 12 * u], fill=glow,
                       outline=dark, width=int(1.4 * u))
        mid_x = width * (x0 + x1) / 2
        draw.line([(mid_x, awning_bottom + 9 * u), (mid_x, ground - 12 * u)], fill=dark, width=int(u))
        for k in range(3):
            bx = width * x0 + (k + 1) * (width * (x1 - x0)) / 4
            draw.rounded_rectangle([bx - 2 * u, ground - 22 * u, bx + 2 * u, ground - 13 * u], radius=u,
                                   fill=POLISH[(k + rng.randint(0, 5)) % len(POLISH)])
    draw.rectangle([width * .45, awning_bottom + 6 * u, width * .55, ground], fill=dark)
    draw.ellipse([width * .53 - u, (awning_bottom + ground) / 2, width * .53 + u,
                  (awning_bottom + ground) / 2 + 2 * u], fill=GOLD)
    for x in (left - 3 * u, right + 3 * u):
        draw.rectangle([x - 4 * u, ground - 8 * u, x + 4 * u, ground], fill=dark)
        draw.ellipse([x - 8 * u, ground - 22 * u, x + 8 * u, ground - 6 * u], fill=SAGE)


def _interior(draw, size, palette, rng):
    width, height = size
    u = min(size) / 100
    light, mid, dark = palette
    floor = height * .78
    draw.rectangle([0, floor, width, height], fill=_mix(mid, dark, .25))
    # An arched mirror, a shelf of bottles, a pendant lamp and a chair.
    mx = width * rng.uniform(.22, .32)
    draw.rectangle([mx - 13 * u, height * .3, mx + 13 * u, floor - 6 * u], fill=_mix(light, CREAM, .6),
                   outline=GOLD, width=int(1.2 * u))
    draw.pieslice([mx - 13 * u, height * .3 - 13 * u, mx + 13 * u, height * .3 + 13 * u], 180, 360,
                  fill=_mix(light, CREAM, .6), outline=GOLD, width=int(1.2 * u))
    shelf_x = width * .55
    for row in range(2):
        y = height * (.34 + row * .17)
        draw.rectangle([shelf_x, y, shelf_x + 34 * u, y + 1.4 * u], fill=dark)
        for k in range(6):
            bx = shelf_x + 3 * u + k * 5.4 * u
            bh = rng.uniform(5, 9) * u
            draw.rounded_rectangle([bx, y - bh, bx + 3.4 * u, y], radius=u,
                                   fill=POLISH[(k + row * 2 + rng.randint(0, 5)) % len(POLISH)])
    lx = width * rng.uniform(.42, .5)
    draw.line([(lx, 0), (lx, height * .16)], fill=INK, width=max(1, int(u * .5)))
    draw.pieslice([lx - 8 * u, height * .16 - 6 * u, lx + 8 * u, height * .16 + 6 * u], 180, 360, fill=GOLD)
    cx = mx
    draw.rounded_rectangle([cx - 11 * u, floor - 16 * u, cx + 11 * u, floor - 7 * u], radius=3 * u, fill=dark)
    draw.rounded_rectangle([cx - 11 * u, floor - 30 * u, cx - 5 * u, floor - 7 * u], radius=3 * u, fill=dark)
    draw.rectangle([cx - u, floor - 7 * u, cx + u, floor], fill=INK)
    draw.ellipse([cx - 7 * u, floor - 1.5 * u, cx + 7 * u, floor + 1.5 * u], fill=INK)


def _person(draw, cx, shoulders_y, scale, rng, clothes, hair_style=None, skin=None):
    """A faceless head-and-shoulders figure: shoulders, neck, head, one of a few hair styles."""
    s = scale
    skin = skin or SKIN_TONES[rng.randint(0, len(SKIN_TONES) - 1)]
    hair = HAIR_TONES[rng.randint(0, len(HAIR_TONES) - 1)]
    if sum(skin) - sum(hair) < 200:  # hair that stands out from the face
        hair = HAIR_TONES[0]
    style = hair_style if hair_style is not None else rng.randint(0, 3)
    head_y = shoulders_y - 32 * s
    if style == 2:  # long hair falls behind the shoulders
        draw.rounded_rectangle([cx - 17 * s, head_y - 4 * s, cx + 17 * s, shoulders_y + 12 * s],
                               radius=12 * s, fill=hair)
    draw.ellipse([cx - 34 * s, shoulders_y, cx + 34 * s, shoulders_y + 70 * s], fill=clothes)
    draw.rectangle([cx - 6 * s, head_y + 12 * s, cx + 6 * s, shoulders_y + 6 * s], fill=_mix(skin, INK, .08))
    draw.ellipse([cx - 14 * s, head_y - 16 * s, cx + 14 * s, head_y + 18 * s], fill=skin)
    if style == 0:  # short
        draw.chord([cx - 15 * s, head_y - 18 * s, cx + 15 * s, head_y + 8 * s], 180, 360, fill=hair)
    elif style == 1:  # a bun
        draw.chord([cx - 15 * s, head_y - 17 * s, cx + 15 * s, head_y + 6 * s], 180, 360, fill=hair)
        draw.ellipse([cx - 8 * s, head_y - 28 * s, cx + 8 * s, head_y - 12 * s], fill=hair)
    elif style == 2:
        draw.chord([cx - 15 * s, head_y - 18 * s, cx + 15 * s, head_y + 10 * s], 180, 360, fill=hair)
    else:  # a bob
        draw.chord([cx - 17 * s, head_y - 19 * s, cx + 17 * s, head_y + 14 * s], 160, 380, fill=hair)
        draw.rectangle([cx - 17 * s, head_y - 2 * s, cx - 11 * s, head_y + 14 * s], fill=hair)
        draw.rectangle([cx + 11 * s, head_y - 2 * s, cx + 17 * s, head_y + 14 * s], fill=hair)


def _portrait(draw, size, palette, rng):
    width, height = size
    u = min(size) / 100
    light, mid, dark = palette
    # Head and shoulders in the middle band: cards crop the square to a landscape strip.
    cx, shoulders, scale = width / 2, height * .72, u * .85
    head_y = shoulders - 32 * scale
    draw.ellipse([cx - 34 * u, head_y - 30 * u, cx + 34 * u, head_y + 38 * u], fill=_mix(mid, CREAM, .35))
    _person(draw, cx, shoulders, scale, rng, clothes=dark)
    draw.rectangle([cx - 7 * u, shoulders + 2 * u, cx + 7 * u, shoulders + 5 * u], fill=CREAM)


def _teacup(draw, cx, base, u, colour):
    draw.ellipse([cx - 14 * u, base - 2 * u, cx + 14 * u, base + 3 * u], fill=CREAM)
    draw.chord([cx - 9 * u, base - 18 * u, cx + 9 * u, base + 1 * u], 0, 180, fill=colour)
    draw.rectangle([cx - 9 * u, base - 9 * u, cx + 9 * u, base - 8.5 * u], fill=colour)
    draw.arc([cx + 6 * u, base - 8 * u, cx + 14 * u, base - 1 * u], 270, 90, fill=colour, width=int(1.5 * u))


def _event(draw, size, palette, rng, event_kind="experience_day"):
    width, height = size
    u = min(size) / 100
    light, mid, dark = palette
    for _ in range(18):  # confetti
        x, y, r = rng.uniform(0, width), rng.uniform(0, height * .5), rng.uniform(.8, 1.8) * u
        draw.ellipse([x - r, y - r, x + r, y + r], fill=rng.choice([GOLD, CREAM, ROSE, SAGE]))
    if event_kind == "experience_day":
        _nails(draw, size, palette, rng)
    elif event_kind == "beta_test":
        fx, base = width * .5, height * .84
        draw.polygon([(fx - 7 * u, base - 42 * u), (fx + 7 * u, base - 42 * u), (fx + 7 * u, base - 26 * u),
                      (fx + 22 * u, base), (fx - 22 * u, base), (fx - 7 * u, base - 26 * u)], fill=CREAM)
        draw.polygon([(fx - 15 * u, base - 12 * u), (fx + 15 * u, base - 12 * u), (fx + 22 * u, base),
                      (fx - 22 * u, base)], fill=mid)
        for k in range(4):
            bx, by = fx + rng.uniform(-8, 8) * u, base - (16 + k * 7) * u - 30 * u
            draw.ellipse([bx - 2 * u, by - 2 * u, bx + 2 * u, by + 2 * u], fill=_mix(mid, CREAM, .4))
        for n in range(3):
            _leaf(draw, width * .2, base, 22 * u, math.radians(-110 + n * 30), SAGE)
            _leaf(draw, width * .8, base, 22 * u, math.radians(-70 - n * 30), dark)
    elif event_kind == "gathering":
        table = height * .8
        draw.ellipse([width * .1, table - 8 * u, width * .9, table + 14 * u], fill=_mix(mid, dark, .3))
        for k, x in enumerate((.25, .5, .75)):
            _teacup(draw, width * x, table - 2 * u, u, (ROSE, SAGE, GOLD)[(k + rng.randint(0, 2)) % 3])
        # A teapot behind the cups.
        px, py = width * .5, table - 16 * u
        draw.polygon([(px + 12 * u, py), (px + 24 * u, py - 10 * u), (px + 22 * u, py - 12 * u),
                      (px + 10 * u, py - 4 * u)], fill=CREAM)
        draw.arc([px - 22 * u, py - 10 * u, px - 6 * u, py + 4 * u], 90, 270, fill=CREAM, width=int(2 * u))
        draw.ellipse([px - 14 * u, py - 12 * u, px + 14 * u, py + 10 * u], fill=CREAM)
        draw.ellipse([px - 3 * u, py - 16 * u, px + 3 * u, py - 10 * u], fill=dark)
    elif event_kind == "training":
        _academy(draw, size, palette, rng)
    else:
        for k in range(3):
            bx, by = width * (.25 + k * .25), height * (.35 + (k % 2) * .2)
            draw.rounded_rectangle([bx - 16 * u, by - 10 * u, bx + 16 * u, by + 10 * u], radius=6 * u,
                                   fill=(CREAM, mid, dark)[k])
            draw.polygon([(bx - 6 * u, by + 9 * u), (bx + 2 * u, by + 9 * u), (bx - 8 * u, by + 17 * u)],
                         fill=(CREAM, mid, dark)[k])


def _photo(draw, size, palette, rng, event_kind="gathering"):
    """A snapshot from an event: people around a table under warm bokeh."""
    width, height = size
    u = min(size) / 100
    light, mid, dark = palette
    for _ in range(12):
        x, y, r = rng.uniform(0, width), rng.uniform(0, height * .4), rng.uniform(3, 8) * u
        draw.ellipse([x - r, y - r, x + r, y + r], fill=_mix(GOLD, CREAM, rng.uniform(.3, .8)))
    people = rng.randint(3, 5)
    for k in range(people):
        cx = width * (k + .5) / people + rng.uniform(-4, 4) * u
        _person(draw, cx, height * rng.uniform(.58, .66), u * rng.uniform(.55, .7), rng,
                clothes=rng.choice([dark, mid, ROSE, SAGE, _mix(dark, INK, .4)]))
    table = height * .8
    draw.rectangle([0, table, width, height], fill=_mix(CREAM, mid, .2))
    for k in range(people):
        x = width * (k + .5) / people
        if event_kind == "gathering":
            _teacup(draw, x, table + 12 * u, u * .8, rng.choice([ROSE, SAGE, GOLD]))
        else:
            _bottle(draw, x, table + 16 * u, 5 * u, 8 * u, rng.choice(POLISH), INK)


def _academy(draw, size, palette, rng):
    width, height = size
    u = min(size) / 100
    light, mid, dark = palette
    cx, base = width * .45, height * .8
    # An open book, its pages as two slanted quads, and a rosette.
    draw.polygon([(cx - 36 * u, base - 30 * u), (cx, base - 24 * u), (cx, base), (cx - 36 * u, base - 6 * u)],
                 fill=CREAM, outline=dark)
    draw.polygon([(cx + 36 * u, base - 30 * u), (cx, base - 24 * u), (cx, base), (cx + 36 * u, base - 6 * u)],
                 fill=_mix(CREAM, light, .5), outline=dark)
    for k in range(4):
        y = base - 22 * u + k * 4.5 * u
        draw.line([(cx - 30 * u, y - 4 * u), (cx - 5 * u, y + u)], fill=mid, width=max(1, int(u * .6)))
        draw.line([(cx + 5 * u, y + u), (cx + 30 * u, y - 4 * u)], fill=mid, width=max(1, int(u * .6)))
    rx, ry = width * .78, height * .38
    draw.polygon([(rx - 5 * u, ry), (rx - 10 * u, ry + 22 * u), (rx - 4 * u, ry + 18 * u), (rx, ry + 23 * u)],
                 fill=ROSE)
    draw.polygon([(rx + 5 * u, ry), (rx + 10 * u, ry + 22 * u), (rx + 4 * u, ry + 18 * u), (rx, ry + 23 * u)],
                 fill=ROSE)
    for k in range(16):
        a = k * math.pi / 8
        r = 11 * u if k % 2 else 9 * u
        draw.ellipse([rx + math.cos(a) * r - 3 * u, ry + math.sin(a) * r - 3 * u,
                      rx + math.cos(a) * r + 3 * u, ry + math.sin(a) * r + 3 * u], fill=GOLD)
    draw.ellipse([rx - 9 * u, ry - 9 * u, rx + 9 * u, ry + 9 * u], fill=GOLD, outline=CREAM, width=int(u))


def _brand(draw, size, palette, rng):
    width, height = size
    u = min(size) / 100
    light, mid, dark = palette
    for k in range(3):  # arches, the brand's shape
        x = width * (.3 + k * .2)
        w = 14 * u
        colour = (mid, CREAM, _mix(mid, dark, .5))[k]
        top = height * (.3 + (k % 2) * .08)
        draw.rectangle([x - w, top, x + w, height * .9], fill=colour)
        draw.pieslice([x - w, top - w, x + w, top + w], 180, 360, fill=colour)
    for n in range(5):
        _leaf(draw, width * .15, height * .9, 30 * u, math.radians(-100 + n * 18), SAGE if n % 2 else dark)
        _leaf(draw, width * .86, height * .9, 26 * u, math.radians(-80 - n * 18), SAGE if n % 2 else mid)
    _bottle(draw, width * .5, height * .9, 12 * u, 22 * u, dark, GOLD)


MOTIFS = {
    "nails": _nails, "hair": _hair, "skin": _skin, "home": _home, "store": _storefront,
    "interior": _interior, "portrait": _portrait, "event": _event, "photo": _photo, "academy": _academy,
    "brand": _brand,
}


def draw(kind: str, palette: str, *, seed: int, size=(1200, 800), variant: str = "") -> Image.Image:
    """The picture for one kind (see KINDS); `variant` is an event's kind for covers and photos."""
    rng = random.Random(f"{kind}:{palette}:{seed}:{variant}")
    colours = PALETTES[palette]
    picture = _background(size, colours, rng)
    painter = ImageDraw.Draw(picture)
    motif = MOTIFS[kind]
    if kind in ("event", "photo"):
        motif(painter, size, colours, rng, variant or ("experience_day" if kind == "event" else "gathering"))
    else:
        motif(painter, size, colours, rng)
    return picture


def jpeg(picture: Image.Image, quality: int = 84) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=quality, optimize=False)
    return buffer.getvalue()
