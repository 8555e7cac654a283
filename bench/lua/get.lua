-- One URL again and again (the one given to wrk), with Accept-Encoding: gzip as phones send
-- it, and no cookie. The request is built once, so wrk itself costs the least.
dofile("bench/lua/common.lua")

wrk.headers["Accept-Encoding"] = "gzip"
