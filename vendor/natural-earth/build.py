#!/usr/bin/env python3
"""Writes countries-50m.bin, the country outlines of member maps (issue 23), from the
TopoJSON file `countries-50m.json` of the npm package world-atlas@2.0.2 (Natural Earth
1:50m Admin 0, public domain). See README.md.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python3 build.py package/countries-50m.json countries-50m.bin

The topology is kept (each shared border stored once). Layout, integers as LEB128 varints,
signed ones zigzag-encoded:
  b"CPATLAS1"
  scale x, scale y, translate x, translate y: 4 little-endian f64 (TopoJSON's transform)
  arcs: count; per arc its point count, then x, y of each point (signed; the first point
        absolute, the others the difference to the one before, in the transform's units)
  countries: count; per country its ISO 3166-1 numeric code (0 when it has none), its
        polygon count, per polygon its ring count, per ring its arc count and the arcs
        (signed; ~i is arc i reversed, as in TopoJSON)
"""
import json
import struct
import sys


def varint(n, out):
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return


def signed(n, out):
    varint((n << 1) ^ (n >> 63) if n < 0 else n << 1, out)


def main(src, dst):
    topo = json.load(open(src, encoding="utf-8"))
    out = bytearray(b"CPATLAS1")
    t = topo["transform"]
    out += struct.pack("<4d", *t["scale"], *t["translate"])
    varint(len(topo["arcs"]), out)
    for arc in topo["arcs"]:
        varint(len(arc), out)
        for x, y in arc:
            signed(x, out)
            signed(y, out)
    countries = topo["objects"]["countries"]["geometries"]
    varint(len(countries), out)
    for c in countries:
        code = c.get("id")
        varint(int(code) if code and code.isdigit() else 0, out)
        polygons = {"Polygon": [c.get("arcs", [])], "MultiPolygon": c.get("arcs", [])}.get(
            c.get("type"), []
        )
        varint(len(polygons), out)
        for polygon in polygons:
            varint(len(polygon), out)
            for ring in polygon:
                varint(len(ring), out)
                for a in ring:
                    signed(a, out)
    open(dst, "wb").write(out)
    print(f"{dst}: {len(out)} bytes, {len(topo['arcs'])} arcs, {len(countries)} countries")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
