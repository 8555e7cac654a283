import struct, sys
# Puts an EXIF APP1 segment holding only Orientation (tag 0x0112, SHORT) right after SOI,
# as a phone camera does when it stores a portrait photo sideways.
src, value, dst = sys.argv[1], int(sys.argv[2]), sys.argv[3]
jpeg = open(src, "rb").read()
assert jpeg[:2] == b"\xff\xd8"
tiff = b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1) \
    + struct.pack(">HHIHH", 0x0112, 3, 1, value, 0) + struct.pack(">I", 0)
payload = b"Exif\x00\x00" + tiff
app1 = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
open(dst, "wb").write(jpeg[:2] + app1 + jpeg[2:])
