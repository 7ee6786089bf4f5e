-- Argo CD health of imagepruners.imageregistry.operator.openshift.io/cluster, read from the
-- conditions the cluster-image-registry-operator writes (pkg/operator/status.go, syncPrunerStatus),
-- summed up as the operator sums them up.
-- Argo CD runs a health check from argocd-cm in gopher-lua with the base, table and package
-- libraries only (argo-cd util/lua/lua.go): no string or math library, no global os, and no
-- string methods. Any object gets an answer, never a Lua error: a status of the wrong shape
-- counts as none.

-- Messages are capped in bytes, cut between UTF-8 characters: a 50 MB message stays out of the UI.
local PART_MAX = 1000
local ELLIPSIS = "..."

-- Every one-byte string, BYTE[0] to BYTE[255].
local BYTE = {
  [0] = "\0", "\1", "\2", "\3", "\4", "\5", "\6", "\7", "\8", "\9", "\10", "\11", "\12", "\13", "\14", "\15",
  "\16", "\17", "\18", "\19", "\20", "\21", "\22", "\23", "\24", "\25", "\26", "\27", "\28", "\29", "\30", "\31",
  "\32", "\33", "\34", "\35", "\36", "\37", "\38", "\39", "\40", "\41", "\42", "\43", "\44", "\45", "\46", "\47",
  "\48", "\49", "\50", "\51", "\52", "\53", "\54", "\55", "\56", "\57", "\58", "\59", "\60", "\61", "\62", "\63",
  "\64", "\65", "\66", "\67", "\68", "\69", "\70", "\71", "\72", "\73", "\74", "\75", "\76", "\77", "\78", "\79",
  "\80", "\81", "\82", "\83", "\84", "\85", "\86", "\87", "\88", "\89", "\90", "\91", "\92", "\93", "\94", "\95",
  "\96", "\97", "\98", "\99", "\100", "\101", "\102", "\103", "\104", "\105", "\106", "\107", "\108", "\109", "\110", "\111",
  "\112", "\113", "\114", "\115", "\116", "\117", "\118", "\119", "\120", "\121", "\122", "\123", "\124", "\125", "\126", "\127",
  "\128", "\129", "\130", "\131", "\132", "\133", "\134", "\135", "\136", "\137", "\138", "\139", "\140", "\141", "\142", "\143",
  "\144", "\145", "\146", "\147", "\148", "\149", "\150", "\151", "\152", "\153", "\154", "\155", "\156", "\157", "\158", "\159",
  "\160", "\161", "\162", "\163", "\164", "\165", "\166", "\167", "\168", "\169", "\170", "\171", "\172", "\173", "\174", "\175",
  "\176", "\177", "\178", "\179", "\180", "\181", "\182", "\183", "\184", "\185", "\186", "\187", "\188", "\189", "\190", "\191",
  "\192", "\193", "\194", "\195", "\196", "\197", "\198", "\199", "\200", "\201", "\202", "\203", "\204", "\205", "\206", "\207",
  "\208", "\209", "\210", "\211", "\212", "\213", "\214", "\215", "\216", "\217", "\218", "\219", "\220", "\221", "\222", "\223",
  "\224", "\225", "\226", "\227", "\228", "\229", "\230", "\231", "\232", "\233", "\234", "\235", "\236", "\237", "\238", "\239",
  "\240", "\241", "\242", "\243", "\244", "\245", "\246", "\247", "\248", "\249", "\250", "\251", "\252", "\253", "\254", "\255",
}

-- The text of the first n byte values.
local function bytesText(values, n)
  local kept = {}
  for i = 1, n do
    kept[i] = BYTE[values[i]]
  end
  return table.concat(kept)
end

-- The values of the first n bytes of s (n < #s), after those already in `values`. Without
-- string.byte and string.sub they are found by comparing: Lua orders strings byte by byte, so
-- while p holds the first k bytes of s, p .. BYTE[b] <= s exactly for the b up to the value of
-- byte k + 1, found in 8 halvings. The cost grows with n squared (milliseconds for 1000 bytes in
-- Argo CD), so the scripts rebuild only the bytes they show.
local function firstBytes(s, n, values)
  values = values or {}
  if #values >= n then
    return values
  end
  local p = bytesText(values, #values)
  for k = #values + 1, n do
    local b, step = 0, 128
    while step >= 1 do
      if p .. BYTE[b + step] <= s then
        b = b + step
      end
      step = step / 2
    end
    values[k] = b
    p = p .. BYTE[b]
  end
  return values
end

-- The byte values rebuilt for each capped text, so that cutting it again costs nothing.
local known = {}

-- The first n bytes of s (n < #s), fewer when byte n + 1 would be cut from its UTF-8 character:
-- a character is at most 4 bytes, so step back over at most 3 continuation bytes (128 to 191).
local function head(s, n)
  local values = firstBytes(s, n + 1, known[s])
  for _ = 1, 3 do
    if n < 1 or values[n + 1] < 128 or values[n + 1] >= 192 then
      break
    end
    n = n - 1
  end
  return bytesText(values, n), values, n
end

local function cap(s, max)
  if #s <= max then
    return s
  end
  local kept, values, n = head(s, max - #ELLIPSIS)
  local capped = kept .. ELLIPSIS
  local cappedValues = {}
  for i = 1, n do
    cappedValues[i] = values[i]
  end
  for i = n + 1, n + #ELLIPSIS do
    cappedValues[i] = 46
  end
  known[capped] = cappedValues
  return capped
end

-- The message for a list of texts: each cut at PART_MAX bytes, joined with "; ", the whole cut
-- at max bytes as cap would cut it. Texts after the cut are never rebuilt.
local function join(texts, max)
  local parts, length = {}, -2
  for _, t in ipairs(texts) do
    if length > max then
      break
    end
    local part = cap(t, PART_MAX)
    table.insert(parts, part)
    length = length + 2 + #part
  end
  if length <= max then
    return table.concat(parts, "; ")
  end
  local cut, kept = max - #ELLIPSIS, {}
  for i, part in ipairs(parts) do
    if i > 1 then
      if cut <= 2 then
        table.insert(kept, ({ "", ";", "; " })[cut + 1])
        break
      end
      table.insert(kept, "; ")
      cut = cut - 2
    end
    if cut < #part then
      table.insert(kept, (head(part, cut)))
      break
    end
    table.insert(kept, part)
    cut = cut - #part
  end
  return table.concat(kept) .. ELLIPSIS
end

-- The operator sums up every condition whose type ends with Degraded, Progressing or Available
-- (its sub-controllers write NodeCADaemonControllerDegraded, ImageConfigControllerDegraded and
-- more) into the image-registry ClusterOperator (pkg/resource/clusteroperator.go unionCondition).
-- Which of the three a type ends with, if any; a type over 316 bytes (Kubernetes' limit for a
-- condition type; the operator's longest is 43) is none of them.
local SUMMARIES = { "Degraded", "Progressing", "Available" }
local TYPE_MAX = 316
local summaries = {}
local function summaryOf(kind)
  if summaries[kind] == nil then
    summaries[kind] = false
    if #kind <= TYPE_MAX then
      -- The bytes before the shortest suffix (Degraded, 8 bytes) serve all three.
      local values = #kind > 8 and firstBytes(kind, #kind - 8) or {}
      for _, suffix in ipairs(SUMMARIES) do
        if #kind >= #suffix and bytesText(values, #kind - #suffix) .. suffix == kind then
          summaries[kind] = suffix
          break
        end
      end
    end
  end
  return summaries[kind]
end

-- t[key] when t is a table; nil for a number, string or missing parent.
local function field(t, key)
  if type(t) == "table" then
    return t[key]
  end
  return nil
end

-- Text worth showing: a non-empty string; a number, table or boolean is none.
local function str(v)
  if type(v) == "string" and v ~= "" then
    return v
  end
  return nil
end

-- A generation: an integer (Argo CD hands every number over as a float). Anything else is none,
-- as for Flux, which compares them only when both are integers.
local function generationOf(v)
  if type(v) == "number" and v % 1 == 0 and v >= -2 ^ 63 and v < 2 ^ 63 then
    return v
  end
  return nil
end

-- The conditions that are tables with a string type; ipairs sees nothing in a map.
local function typed(conditions)
  local list = {}
  for _, c in ipairs(conditions) do
    if type(c) == "table" and type(c.type) == "string" then
      table.insert(list, c)
    end
  end
  return list
end

local function find(conditions, kind)
  for _, c in ipairs(conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

-- The operator's own words, or its reason when it wrote none, after the condition's type unless
-- it is `main` (as the ClusterOperator's message names each sub-controller's condition). join
-- cuts them.
local function text(c, main)
  local words = str(c.message) or str(c.reason) or c.type
  if c.type ~= main then
    words = c.type .. ": " .. words
  end
  return words
end

local function add(list, message)
  for _, seen in ipairs(list) do
    if seen == message then
      return
    end
  end
  table.insert(list, message)
end

local status = field(obj, "status")
if type(field(status, "conditions")) ~= "table" or #status.conditions == 0 then
  return { status = "Progressing", message = "Waiting for the image registry operator to report the pruner's status" }
end
local conditions = typed(status.conditions)

-- Conditions written for an older spec (another schedule, suspend) say nothing about this one.
local generation = generationOf(field(field(obj, "metadata"), "generation"))
local observed = generationOf(field(status, "observedGeneration"))
if generation ~= nil and observed ~= nil and observed ~= generation then
  return {
    status = "Progressing",
    message = "Waiting for the image registry operator to observe generation " .. tostring(generation)
      .. " (status is for generation " .. tostring(observed) .. ")",
  }
end

-- Degraded: reason SyncError (the CronJob could not be applied) or JobFailed (the last finished
-- pruner Job failed; its message is the Job's). It clears when a later Job succeeds.
local failing = {}
for _, c in ipairs(conditions) do
  if c.status == "True" and summaryOf(c.type) == "Degraded" then
    add(failing, text(c, "Degraded"))
  end
end
if #failing > 0 then
  return { status = "Degraded", message = join(failing, PART_MAX) }
end

local available = find(conditions, "Available")
if available == nil then
  return { status = "Progressing", message = "Waiting for the image registry operator to create the pruner CronJob" }
end

-- Not yet Available (no CronJob), or anything else the ClusterOperator would not count as settled.
local waiting = {}
for _, c in ipairs(conditions) do
  local summary = summaryOf(c.type)
  if (summary == "Progressing" and c.status ~= "False") or (summary == "Available" and c.status ~= "True")
    or (summary == "Degraded" and c.status ~= "False") then
    add(waiting, text(c, summary))
  end
end
if #waiting > 0 then
  return { status = "Progressing", message = join(waiting, PART_MAX) }
end

-- Scheduled is False with reason Suspended when spec.suspend is true: that is what Git declares,
-- so Healthy with the operator's message (a Suspended resource never completes a multi-wave sync).
local scheduled = find(conditions, "Scheduled")
if scheduled ~= nil then
  return { status = "Healthy", message = join({ text(scheduled, "Scheduled") }, PART_MAX) }
end
return { status = "Healthy", message = join({ text(available, "Available") }, PART_MAX) }
