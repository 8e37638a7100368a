-- wrk script: POST a new, unique submission each time, each from an address of its own
-- (X-Forwarded-For; the server trusts 127.0.0.1 as its proxy), so the submission limit counts
-- every one and refuses none.
local counter = 0
local threads = 0

-- A new seed per run: wrk's Lua starts every run with the same random numbers, so a second run
-- against the same database would send the first run's names again (and get 409s).
math.randomseed(os.time())

function setup(thread)
  threads = threads + 1
  thread:set("tid", math.random(1, 1000000000))
  thread:set("tix", threads)
end

request = function()
  counter = counter + 1
  local body = string.format(
    '{"organisation_name":"Bench Org %d-%d","organisation_type":"ngo","country_code":"FR",' ..
    '"contact_name":"Bench","contact_email":"bench@example.org","consent_to_publish":true}',
    tid, counter)
  local address = string.format("10.%d.%d.%d", tix % 256, math.floor(counter / 256) % 256,
    counter % 256)
  return wrk.format("POST", nil,
    { ["Content-Type"] = "application/json", ["X-Forwarded-For"] = address }, body)
end
