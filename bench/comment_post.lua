-- bench/comment_post.lua: wrk sends comments to /benchmark-post/, every one
-- a form of its own: its own token (from the file bench/form_tokens.py
-- wrote), text and email address, so that each is a first-time
-- commenter's, held for moderation, and changes no page.  Each connection
-- is one poster, sending its next comment when the last one is answered.
--
--   wrk -tT -cC -d15s --latency -s bench/comment_post.lua URL -- TOKENS ORIGIN T
--
-- The bench stack sets flood_interval and min_fill_time to 0 and lifts
-- nginx's per-address limit, so no comment is turned away for its pace.

local threads = 0

function setup(thread)
	thread:set("tid", threads)
	threads = threads + 1
end

local tokens = {}
local sent = 0

function init(args)
	for line in io.lines(args[1]) do
		tokens[#tokens + 1] = line
	end
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
	wrk.headers["Origin"] = args[2]
	nthreads = tonumber(args[3])
end

function request()
	sent = sent + 1
	-- the threads take the tokens in turn: each its own
	local i = (sent - 1) * nthreads + tid + 1
	local who = tid .. "." .. sent
	local body = "comment=Comment+" .. who ..
		"%3A+thank+you+for+this+post.&author=Poster+" .. who ..
		"&email=poster" .. who .. "%40bench.invalid&url=&comment_parent=" ..
		"&website_confirm=&form_token=" .. tokens[(i - 1) % #tokens + 1]
	return wrk.format(nil, "/benchmark-post/comments", nil, body)
end
