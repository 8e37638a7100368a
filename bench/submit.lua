-- wrk script: POST a new, unique submission each time.
local counter = 0

-- A new seed per run: wrk's Lua starts every run with the same random numbers, so a second run
-- against the same database would send the first run's names again (and get 409s).
math.randomseed(os.time())

function setup(thread)
  thread:set("tid", math.random(1, 1000000000))
end

request = function()
  counter = counter + 1
  local body = string.format(
    '{"organisation_name":"Bench Org %d-%d","organisation_type":"ngo","country_code":"FR",' ..
    '"contact_name":"Bench","contact_email":"bench@example.org","consent_to_publish":true}',
    tid, counter)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end
