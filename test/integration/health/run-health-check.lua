-- Runs an Argo CD health check the way Argo CD runs one from argocd-cm, and writes
-- "<status>\n<message>". Usage: lua5.1 run-health-check.lua SCRIPT < object.lua (a Lua table
-- literal, already shaped as Argo CD hands `obj` over: see argoObject in health-checks.test.ts).
--
-- The environment is the one argo-cd util/lua/lua.go (runLuaWithResourceActionParameters; the same
-- from release-2.8 to master, on gopher-lua v1.1.x) builds for a script without
-- resource.customizations.useOpenLibs.<group>_<kind>: lua.NewState with
-- SkipOpenLibs, then gopher-lua's OpenPackage, OpenBase and OpenTable, then OpenSafeOs, which
-- registers under the table library's name (lua.TabLibName) and so adds nothing: the global `os`
-- is nil and only require("os") gives the safe os (time, date), from l.PreloadModule. The base
-- functions are gopher-lua's baselib.go baseFuncs, ipairs and pairs; the table functions
-- tablelib.go tableFuncs; `obj` and `actionParams` are globals. Argo CD stops a script after 1 s.
-- Where gopher-lua and Lua 5.1 differ and the difference is not reproduced here, the sandbox
-- refuses instead of answering the Lua 5.1 way (numbers made into text, tonumber of a string).
-- Not reproduced: the order of pairs, error message texts, and `..` on a number (Lua 5.1 writes
-- it with %.14g, gopher-lua as tostring does): the scripts call tostring on integers only.
local script, reason = loadfile(arg[1])
if not script then
  io.stderr:write(reason, "\n")
  os.exit(2)
end
local object = assert(loadstring("return " .. io.read("*a"), "object"))()

-- What the harness itself needs, kept before the globals are cut down.
local clock, exit, format, stderr, stdout = os.clock, os.exit, string.format, io.stderr, io.stdout
local sethook, setmetatable_any, rawconcat, luaTostring = debug.sethook, debug.setmetatable, table.concat, tostring
local pairs, select, type, error, pcall = pairs, select, type, error, pcall
local math_max, math_min = math.max, math.min
local safeOs = { time = os.time, date = os.date }

local function notModeled(what)
  return function()
    error(what .. " is not modeled by this sandbox: gopher-lua and Lua 5.1 differ there", 2)
  end
end

-- gopher-lua's LNumber.String (value.go): an integer value (float64(int64(v)) == v) as a decimal
-- integer, anything else with Go's %v, which this sandbox does not reproduce.
local function numberText(v)
  if v % 1 == 0 and v >= -2 ^ 63 and v < 2 ^ 63 then
    return format("%d", v)
  end
  error("tostring of the non-integer number " .. format("%.17g", v) .. " is not modeled by this sandbox", 3)
end

local function gopherTostring(v)
  if type(v) == "number" then
    return numberText(v)
  end
  return luaTostring(v)
end

local gopherBase = {
  assert = assert, collectgarbage = collectgarbage, dofile = dofile, error = error, getfenv = getfenv,
  getmetatable = getmetatable, load = load, loadfile = loadfile, loadstring = loadstring, next = next,
  pcall = pcall, rawequal = rawequal, rawget = rawget, rawset = rawset, select = select,
  setfenv = setfenv, setmetatable = setmetatable, type = type, unpack = unpack, xpcall = xpcall,
  module = module, require = require, newproxy = newproxy, ipairs = ipairs, pairs = pairs,
  _printregs = notModeled("_printregs"),
  _VERSION = "Lua 5.1", _GOPHER_LUA_VERSION = "GopherLua 0.1",
  -- gopher-lua prints to the Argo CD controller's stdout; here stdout is the answer.
  print = function(...)
    for i = 1, select("#", ...) do
      stderr:write(i > 1 and "\t" or "", gopherTostring((select(i, ...))))
    end
    stderr:write("\n")
  end,
  tostring = gopherTostring,
  -- baselib.go baseToNumber parses strings with Go's strconv (no exponent without a dot, ...).
  tonumber = function(v, base)
    if type(v) == "string" then
      error("tonumber of a string is not modeled by this sandbox: gopher-lua parses it with Go's strconv", 2)
    end
    if type(v) == "number" and base == nil then
      return v
    end
    return nil
  end,
}

local gopherTable = {
  getn = table.getn, insert = table.insert, maxn = table.maxn, remove = table.remove, sort = table.sort,
  -- tablelib.go tableConcat: with exactly three arguments an i out of range gives "", otherwise
  -- i and j are clamped to the table's length; a number becomes text as tostring makes it.
  concat = function(...)
    local t, sep, i, j = ...
    local n = #t
    sep = sep or ""
    i = i or 1
    j = j or n
    if select("#", ...) == 3 and (i > n or i < 1) then
      return ""
    end
    i = math_max(math_min(i, n), 1)
    j = math_min(j, n)
    local parts = {}
    for k = i, j do
      local v = t[k]
      if type(v) == "number" then
        v = numberText(v)
      elseif type(v) ~= "string" then
        error("invalid value (" .. type(v) .. ") at index " .. k .. " in table for concat", 2)
      end
      parts[k - i + 1] = v
    end
    return rawconcat(parts, sep)
  end,
}

-- gopher-lua's package library (loadlib.go OpenPackage): two loaders (preload, Lua files), no C
-- modules; package.loaded holds _G and table, the modules registered after it was made.
local gopherPackage = package
for name in pairs(package.loaded) do
  package.loaded[name] = nil
end
package.loaders = { package.loaders[1], package.loaders[2] }
package.cpath = ""
package.preload = { os = function() return safeOs end }

-- The globals become exactly gopher-lua's, in place, so that load, loadstring and getfenv(0) see
-- the same table; strings lose their metatable (gopher-lua sets one only in OpenString).
local G = _G
for name in pairs(G) do
  G[name] = nil
end
for name, value in pairs(gopherBase) do
  G[name] = value
end
G._G = G
G.package = gopherPackage
G.table = gopherTable
gopherPackage.loaded._G = G
gopherPackage.loaded.table = gopherTable
setmetatable_any("", nil)
G.obj = object
G.actionParams = {}

-- Argo CD's limit is 1 s of wall time in gopher-lua (context.WithTimeout in lua.go), which ran
-- these scripts 1.5 to 2.5 times slower than lua5.1: this CPU-time budget keeps a wide margin.
local BUDGET = 0.25
local started = clock()
sethook(function()
  if clock() - started > BUDGET then
    error("the health check ran longer than the sandbox's budget (Argo CD stops a script after 1 s: Unknown)")
  end
end, "", 10000)
local ok, hs = pcall(script)
sethook()
if not ok then
  stderr:write("health check failed: ", luaTostring(hs), "\n")
  exit(2)
end
-- argo-cd ExecuteHealthLua: the table goes through JSON into HealthStatus{status, message}; a
-- status other than these six is Unknown.
local valid = { Healthy = true, Progressing = true, Degraded = true, Suspended = true, Missing = true, Unknown = true }
if type(hs) ~= "table" or not valid[hs.status] or type(hs.message) ~= "string" then
  stderr:write("health check returned no {status, message} table\n")
  exit(3)
end
stdout:write(hs.status, "\n", hs.message)
