-- Runs an Argo CD health check the way Argo CD does: the script sees a global `obj` and the
-- base, string, table and math libraries only, and returns {status=..., message=...}.
-- Usage: lua5.1 run-health-check.lua SCRIPT < object.lua (a Lua table literal).
local path = arg[1]
local source = io.read("*a")
local object = assert(loadstring("return " .. source, "object"))()

local sandbox = {
  obj = object,
  assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, pcall = pcall,
  select = select, tonumber = tonumber, tostring = tostring, type = type, unpack = unpack,
  string = string, table = table, math = math,
}
local chunk = assert(loadfile(path))
setfenv(chunk, sandbox)
local ok, hs = pcall(chunk)
if not ok then
  io.stderr:write("health check failed: ", tostring(hs), "\n")
  os.exit(2)
end
local allowed = { Healthy = true, Progressing = true, Degraded = true, Suspended = true, Missing = true, Unknown = true }
if type(hs) ~= "table" or not allowed[hs.status] or type(hs.message) ~= "string" then
  io.stderr:write("health check returned no {status, message} table\n")
  os.exit(3)
end
io.write(hs.status, "\n", hs.message)
