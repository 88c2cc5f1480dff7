-- wrk script: each request creates one application (POST /api/v1/applications).
-- The token comes from the environment (BENCH_TOKEN).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.body = '{"company":"Bench Co","position":"Engineer","location":"Remote","status":"applied",' ..
           '"salary_min":90000,"salary_max":120000,"salary_currency":"EUR","salary_period":"year",' ..
           '"tags":["bench","remote"],"notes":"created by bench/create_app.lua"}'
