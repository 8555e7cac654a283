import random, struct, sys
# AMR-NB storage format (RFC 4867 section 5): "#!AMR\n", then 20 ms frames; mode 7 (12.2 kbit/s)
# is a 1-byte header (FT=7, Q=1 -> 0x3C) and 31 bytes of speech bits.
random.seed(7)
out = bytearray(b"#!AMR\n")
for _ in range(150):
    out.append(0x3C)
    out += bytes(random.getrandbits(8) for _ in range(31))
open(sys.argv[1], "wb").write(out)
