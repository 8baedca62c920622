"""Independent NumPy re-implementation of MLRobust's camera and pose conventions (renders/CONVENTIONS.md).

Reads lines "x y z rx ry rz scale shift_x shift_y width height" on stdin and prints "px py depth" for each:
the model point is scaled, rotated by R = Ry @ Rx @ Rz (column vectors, right-handed), seen by a pinhole
camera at (0, 0, 3) looking down -Z with +Y up, 35 mm lens on a 36 mm sensor fitted to the image width,
pixel coordinates from the top-left corner of the image.
"""
import sys

import numpy as np


def rot_x(a):
    c, s = np.cos(a), np.sin(a)
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])


def rot_y(a):
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])


def rot_z(a):
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


for line in sys.stdin:
    if not line.strip():
        continue
    x, y, z, rx, ry, rz, scale, shift_x, shift_y, width, height = map(float, line.split())
    world = rot_y(ry) @ rot_x(rx) @ rot_z(rz) @ (scale * np.array([x, y, z]))
    camera = world - np.array([0.0, 0.0, 3.0])   # camera frame: the camera looks down -Z
    depth = -camera[2]
    focal = width * 35.0 / 36.0                  # pixels
    px = width / 2 + shift_x * width + focal * camera[0] / depth
    py = height / 2 - shift_y * width - focal * camera[1] / depth
    print(f"{px:.9f} {py:.9f} {depth:.9f}")
