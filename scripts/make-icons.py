#!/usr/bin/env python3
"""srlab's app icons (web app manifest, favicon): a drawn face, 4x4 pixels on the left and the same
face at 16x16 on the right: super-resolution at a glance. Writes static/icons/icon.svg and PNGs
(192, 512, maskable 512) from one geometry, so they agree. Run: /usr/bin/python3 scripts/make-icons.py
"""
import math
import os

from PIL import Image, ImageDraw

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'static', 'icons')
ACCENT = (59, 91, 219)  # --accent in src/app.css
S = 512  # design units


def face(x, y):
    """Brightness in [0, 1] of a simple face at (x, y) in [0, 1]^2: oval, two eyes, a mouth."""
    ox, oy = (x - 0.5) / 0.36, (y - 0.52) / 0.46
    if ox * ox + oy * oy > 1:
        return 0.0
    v = 0.92
    for ex in (0.36, 0.64):
        if (x - ex) ** 2 / 0.006 + (y - 0.43) ** 2 / 0.003 < 1:
            v = 0.15
    if abs(x - 0.5) < 0.14 and abs(y - 0.7 - 0.25 * (x - 0.5) ** 2) < 0.025:
        v = 0.3
    return v


def mosaic(n, samples=8):
    """n x n cells, each the mean of samples^2 points of the face (a box-filtered downsampling)."""
    grid = []
    for j in range(n):
        row = []
        for i in range(n):
            acc = sum(face((i + (a + 0.5) / samples) / n, (j + (b + 0.5) / samples) / n) for a in range(samples) for b in range(samples))
            row.append(acc / samples ** 2)
        grid.append(row)
    return grid


def cells(inset):
    """Squares (x, y, size, rgb) in design units: the 4x4 face, then the 16x16 face, and an arrow."""
    span = S - 2 * inset
    size = span * 0.40
    top = inset + (span - size) / 2
    out = []
    for (n, left) in ((4, inset + span * 0.04), (16, inset + span * 0.56)):
        g = mosaic(n)
        c = size / n
        for j in range(n):
            for i in range(n):
                v = g[j][i]
                # blend from the accent (0) to white (1)
                rgb = tuple(round(a + (255 - a) * v) for a in ACCENT)
                out.append((left + i * c, top + j * c, c, rgb))
    return out, (inset + span * 0.46, inset + span * 0.54, S / 2, span * 0.035)


def svg(inset=0, radius=96):
    squares, (x0, x1, y, h) = cells(inset)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {S} {S}">',
             f'<rect width="{S}" height="{S}" rx="{radius}" fill="rgb{ACCENT}"/>']
    for (x, y0, c, rgb) in squares:
        parts.append(f'<rect x="{x:.2f}" y="{y0:.2f}" width="{c + 0.3:.2f}" height="{c + 0.3:.2f}" fill="rgb{rgb}"/>')
    parts.append(f'<path d="M{x0:.1f} {y - h:.1f}L{x1:.1f} {y:.1f}L{x0:.1f} {y + h:.1f}Z" fill="white"/>')
    parts.append('</svg>')
    return '\n'.join(parts) + '\n'


def png(px, inset=0, radius=96, scale=4):
    """Drawn at scale x px and downsampled (antialiased edges)."""
    big = px * scale
    k = big / S
    im = Image.new('RGBA', (big, big), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    d.rounded_rectangle([0, 0, big - 1, big - 1], radius=radius * k, fill=ACCENT + (255,))
    squares, (x0, x1, y, h) = cells(inset)
    for (x, y0, c, rgb) in squares:
        d.rectangle([x * k, y0 * k, (x + c) * k, (y0 + c) * k], fill=rgb + (255,))
    d.polygon([(x0 * k, (y - h) * k), (x1 * k, y * k), (x0 * k, (y + h) * k)], fill=(255, 255, 255, 255))
    return im.resize((px, px), Image.LANCZOS)


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'icon.svg'), 'w') as f:
        f.write(svg())
    png(192).save(os.path.join(OUT, 'icon-192.png'), optimize=True)
    png(512).save(os.path.join(OUT, 'icon-512.png'), optimize=True)
    # maskable: full-bleed background, content inside the 80% safe zone (the platform crops a circle or squircle)
    png(512, inset=S * 0.12, radius=0).save(os.path.join(OUT, 'icon-maskable-512.png'), optimize=True)
    png(180, radius=0).save(os.path.join(OUT, 'apple-touch-icon.png'), optimize=True)
    print('icons written to static/icons/')
