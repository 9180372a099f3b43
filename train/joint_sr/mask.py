"""The face-region mask M_face of paper 002 §3.3 ("face region mask"), from 68 landmarks instead of
CelebA-HQ parsing masks (the joint spec; TS twin src/lib/jointSr/faceMask.ts):

p[0..67] are (x, y) in 128-px image coordinates (pixel (row i, col j) has its centre at
(j + 0.5, i + 0.5)); h = p[8].y - mean(p[17..26].y); the brows lifted by 0.2 h, q_k =
(p_k.x, p_k.y - 0.2 h) for k = 26, 25, ..., 17; polygon [p0..p16, q26..q17]; M(i, j) = 1 where the
pixel centre is inside the polygon by the even-odd rule. The crossing test, per edge (a -> b):
    (a.y > py) != (b.y > py)  and  px < (b.x - a.x) * (py - a.y) / (b.y - a.y) + a.x
evaluated in float64 in exactly this order (the TS twin does the same, so borderline pixels agree).
"""
import numpy as np

JAW = list(range(0, 17))
BROWS_REVERSED = list(range(26, 16, -1))
BROW_LIFT = 0.2


def face_polygon(points):
    """[68, 2] landmarks -> [27, 2] float64 polygon (jaw, then the lifted brows right to left)."""
    p = np.asarray(points, np.float64)
    h = p[8, 1] - p[17:27, 1].mean()
    q = p[BROWS_REVERSED].copy()
    q[:, 1] -= BROW_LIFT * h
    return np.concatenate([p[JAW], q], 0)


def polygon_mask(poly, size=128):
    """Even-odd rule at pixel centres -> uint8 [size, size] (1 inside)."""
    py = (np.arange(size, dtype=np.float64) + 0.5)[:, None]
    px = (np.arange(size, dtype=np.float64) + 0.5)[None, :]
    inside = np.zeros((size, size), bool)
    n = len(poly)
    for k in range(n):
        ax, ay = poly[k]
        bx, by = poly[(k + 1) % n]
        spans = (ay > py) != (by > py)  # [size, 1]; False for horizontal edges (no 0/0 used)
        with np.errstate(divide='ignore', invalid='ignore'):
            cross_x = (bx - ax) * (py - ay) / (by - ay) + ax
        inside ^= spans & (px < cross_x)
    return inside.astype(np.uint8)


def face_mask(points, size=128):
    """[68, 2] landmarks (128-px coordinates) -> uint8 [size, size] face-region mask."""
    return polygon_mask(face_polygon(points), size)


def face_masks(points, size=128):
    """[N, 68, 2] -> uint8 [N, size, size]."""
    return np.stack([face_mask(p, size) for p in points]) if len(points) else np.zeros((0, size, size), np.uint8)
