-- A hall at work: 80% signed-in lesson pages (as lesson.lua), 15% progress writes
-- (POST /api/v1/events, one lesson_opened or lesson_finished on a random lesson, a fresh id
-- each), 5% quiz submits (POST /api/v1/events, quiz_submitted with one valid answer a
-- question, at random). Writes go out without Accept-Encoding, so each answer can be read
-- for "refused" (the answer is about 100 bytes). A third argument "R,P,Q" sets other
-- shares: "0,0,100" is a flood of quiz submits.
dofile("bench/lua/common.lua")

counting_answers = true
local cookies, reads, quizzes = {}, {}, {}
local next_read = 1
local run_id = "000000000000"
local sent = 0
local reads_pct, progress_pct = 80, 15

function init(args)
   local dir = args[1]
   run_id = args[2]
   if args[3] then
      local r, p = string.match(args[3], "^(%d+),(%d+),%d+$")
      reads_pct, progress_pct = tonumber(r), tonumber(p)
   end
   cookies = read_lines(dir .. "/cookies.txt")
   local lessons = read_lines(dir .. "/lessons.txt")
   for _, lesson in ipairs(lessons) do
      for _, cookie in ipairs(cookies) do
         reads[#reads + 1] = wrk.format("GET", lesson,
            { ["Cookie"] = cookie, ["Accept-Encoding"] = "gzip" })
      end
   end
   for _, line in ipairs(read_lines(dir .. "/quizzes.txt")) do
      local quiz = { choices = {} }
      for word in string.gmatch(line, "%S+") do
         if quiz.lesson == nil then
            quiz.lesson = word
         else
            quiz.choices[#quiz.choices + 1] = tonumber(word)
         end
      end
      quizzes[#quizzes + 1] = quiz
   end
   next_read = 1 + (thread_no * 997) % #reads
   math.randomseed(tonumber(string.sub(run_id, 1, 6), 16) + thread_no)
end

-- A UUID no other request of any run sends: the run's id, this thread's number, a count.
local function new_id()
   sent = sent + 1
   return string.format("%s-%s-4%03x-8000-%012x",
      string.sub(run_id, 1, 8), string.sub(run_id, 9, 12), thread_no, sent)
end

local function post(cookie, event)
   return wrk.format("POST", "/api/v1/events",
      { ["Cookie"] = cookie, ["Content-Type"] = "application/json" },
      '{"events":[' .. event .. ']}')
end

function request()
   local roll = math.random(100)
   if roll <= reads_pct then
      local r = reads[next_read]
      next_read = next_read % #reads + 1
      return r
   end
   local cookie = cookies[math.random(#cookies)]
   local quiz = quizzes[math.random(#quizzes)]
   if roll <= reads_pct + progress_pct then
      local kind = "lesson_opened"
      if math.random(2) == 1 then
         kind = "lesson_finished"
      end
      return post(cookie, string.format('{"id":"%s","kind":"%s","lesson":"%s"}',
         new_id(), kind, quiz.lesson))
   end
   local answers = {}
   for i, choices in ipairs(quiz.choices) do
      answers[i] = math.random(choices) - 1
   end
   return post(cookie, string.format(
      '{"id":"%s","kind":"quiz_submitted","lesson":"%s","payload":{"answers":[%s]}}',
      new_id(), quiz.lesson, table.concat(answers, ",")))
end

function response(status, headers, body)
   count(status, headers, body)
end
