-- What every load script shares (loaded with dofile from the repository's root, where
-- bench/run runs wrk): each thread counts its answers that were not 2xx and the event
-- writes the box did not store, and done() prints one line bench/run reads:
--   BENCH requests=… seconds=… rps=… p50_ms=… p99_ms=… non2xx=… refused=… socket_errors=… timeouts=…
-- Script arguments (after wrk's "--"): the folder `seed` wrote (cookies.txt, lessons.txt,
-- quizzes.txt), and a run id of 12 hex digits that makes event ids unique across runs.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("thread_no", #threads)
end

-- The non-empty lines of a file; stops wrk with a message when it cannot be read.
function read_lines(path)
   local file = io.open(path, "r")
   if file == nil then
      io.stderr:write("bench: cannot read " .. path .. "\n")
      os.exit(2)
   end
   local lines = {}
   for line in file:lines() do
      if line ~= "" then
         lines[#lines + 1] = line
      end
   end
   file:close()
   return lines
end

non2xx = 0
refused = 0

-- Counts one answer: not 2xx, or a JSON answer (the events API's, sent uncompressed) that
-- refused an event.
function count(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
   elseif string.find(headers["Content-Type"] or headers["content-type"] or "", "json", 1, true)
      and string.find(body, '"refused"', 1, true) then
      refused = refused + 1
   end
end

function done(summary, latency, requests)
   local non2xx, refused = 0, 0
   for _, thread in ipairs(threads) do
      non2xx = non2xx + (thread:get("non2xx") or 0)
      refused = refused + (thread:get("refused") or 0)
   end
   -- Scripts that do not look at answers count on wrk's own tally (status 400 and up).
   if not counting_answers then
      non2xx = summary.errors.status
   end
   local e = summary.errors
   local seconds = summary.duration / 1e6
   io.write(string.format(
      "BENCH requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f non2xx=%d refused=%d socket_errors=%d timeouts=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      non2xx, refused, e.connect + e.read + e.write, e.timeout))
end
