-- wrk script: POST a new, unique submission each time.
local counter = 0

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
