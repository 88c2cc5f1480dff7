-- wrk script: an edit and then the listing, in turn on each connection:
-- PATCH one application's notes (a new text each time), then GET the
-- 50-application listing, which the edit made stale (the first listing
-- after a change). The token and the application's id come from the
-- environment (BENCH_TOKEN, BENCH_APP_ID); both requests count.
local token = os.getenv("BENCH_TOKEN")
local app = os.getenv("BENCH_APP_ID")
local n = 0
request = function()
	n = n + 1
	local headers = { ["Authorization"] = "Bearer " .. token }
	if n % 2 == 1 then
		headers["Content-Type"] = "application/json"
		return wrk.format("PATCH", "/api/v1/applications/" .. app, headers,
			'{"notes":"edited by bench/edit_then_list.lua, ' .. n .. '"}')
	end
	return wrk.format("GET", "/api/v1/applications?per_page=50", headers)
end
