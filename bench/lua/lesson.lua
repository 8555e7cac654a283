-- Signed-in lesson pages: each request the next (cookie, lesson) pair from the seeded
-- cookies.txt and lessons.txt, each thread from its own starting place, so the load spreads
-- over 200 learners with real progress. Accept-Encoding: gzip. No response() callback, so wrk
-- does not hand each page to Lua: wrk's own tally counts answers of status 400 and up.
-- Arguments: the seed folder, "identity" to ask for pages uncompressed (a diagnostic: what
-- gzip costs the box) or "gzip", and optionally another file of paths than the seed's
-- lessons.txt (the practice steps bench/run writes).
dofile("bench/lua/common.lua")

local requests = {}
local next_one = 1

function init(args)
   local dir = args[1]
   local cookies = read_lines(dir .. "/cookies.txt")
   local lessons = read_lines(args[3] or (dir .. "/lessons.txt"))
   local encoding = "gzip"
   if args[2] == "identity" then
      encoding = "identity"
   end
   for _, lesson in ipairs(lessons) do
      for _, cookie in ipairs(cookies) do
         requests[#requests + 1] = wrk.format("GET", lesson,
            { ["Cookie"] = cookie, ["Accept-Encoding"] = encoding })
      end
   end
   next_one = 1 + (thread_no * 997) % #requests
end

function request()
   local r = requests[next_one]
   next_one = next_one % #requests + 1
   return r
end
