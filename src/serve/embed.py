#!/usr/bin/env python3
"""Write a text file as a NUL-terminated C char array: embed.py IN OUT NAME.
An array of bytes, not a string literal: C limits the length of those."""
import sys

src, out, name = sys.argv[1:4]
with open(src, "rb") as f:
    data = f.read()
data.decode("utf-8")  # the documents are UTF-8 text
with open(out, "w", encoding="ascii") as f:
    f.write("/* Generated from %s by embed.py: do not edit. */\n" % src.split("/")[-1])
    f.write("extern const char %s[];\n" % name)
    f.write("const char %s[] = {\n" % name)
    data += b"\0"
    for i in range(0, len(data), 16):
        f.write("\t" + ", ".join("0x%02x" % b for b in data[i:i + 16]) + ",\n")
    f.write("};\n")
