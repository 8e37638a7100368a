-- wrk script (one thread, one connection): approve pending endorsements one after another,
-- ids FIRST, FIRST+1, …, as a very busy secretariat would: one every 50 ms at most (about 20
-- a second). Without the delay wrk approves as fast as the server answers (~200 a second
-- here), and every approval remakes every kept answer: a load no secretariat makes. Needs
-- TOKEN and FIRST in the environment. An id already approved or missing answers 409/404,
-- which wrk counts as non-2xx.
local first = tonumber(os.getenv("FIRST"))
local token = os.getenv("TOKEN")
local step = 0

request = function()
  local id = first + step
  step = step + 1
  return wrk.format("POST", "/v1/admin/endorsements/" .. id .. "/approve",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, "{}")
end

delay = function()
  return 50
end
