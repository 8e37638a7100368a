-- wrk script (one thread): approve pending endorsements one after another, ids FIRST,
-- FIRST+1, …, as a moderator would. Needs TOKEN and FIRST in the environment. An id already
-- approved or missing answers 409/404, which wrk counts as non-2xx.
local first = tonumber(os.getenv("FIRST"))
local token = os.getenv("TOKEN")
local step = 0

request = function()
  local id = first + step
  step = step + 1
  return wrk.format("POST", "/v1/admin/endorsements/" .. id .. "/approve",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, "{}")
end
