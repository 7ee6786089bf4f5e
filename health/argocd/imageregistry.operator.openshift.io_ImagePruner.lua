-- Argo CD health of imagepruners.imageregistry.operator.openshift.io/cluster, read from the
-- conditions the cluster-image-registry-operator writes (pkg/operator/status.go, syncPrunerStatus).
-- Lua 5.1 (Argo CD runs gopher-lua): base, string, table and math only.
-- Any object gets an answer, never a Lua error: a status of the wrong shape counts as none.

-- Messages are capped in bytes, cut between UTF-8 characters: a 50 MB message stays out of the UI.
local PART_MAX = 1000
local ELLIPSIS = "..."

local function cap(s, max)
  if #s <= max then
    return s
  end
  local cut = max - #ELLIPSIS
  -- A UTF-8 character is at most 4 bytes: step back over at most 3 continuation bytes.
  for _ = 1, 3 do
    local b = string.byte(s, cut + 1)
    if b < 128 or b >= 192 then
      break
    end
    cut = cut - 1
  end
  return string.sub(s, 1, cut) .. ELLIPSIS
end

-- t[key] when t is a table; nil for a number, string or missing parent.
local function field(t, key)
  if type(t) == "table" then
    return t[key]
  end
  return nil
end

-- Text worth showing: a non-empty string, or a number printed; a table or boolean is none.
local function str(v)
  if type(v) == "string" and v ~= "" then
    return v
  elseif type(v) == "number" then
    return tostring(v)
  end
  return nil
end

-- Entries that are not tables are skipped; ipairs sees nothing in a map.
local function find(conditions, kind)
  for _, c in ipairs(conditions) do
    if type(c) == "table" and c.type == kind then
      return c
    end
  end
  return nil
end

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

-- The operator's own words; its reason when it wrote no message. find matched c.type, a string.
local function text(c)
  return cap(str(c.message) or str(c.reason) or c.type, PART_MAX)
end

local status = field(obj, "status")
local conditions = field(status, "conditions")
if type(conditions) ~= "table" or #conditions == 0 then
  return { status = "Progressing", message = "Waiting for the image registry operator to report the pruner's status" }
end

-- Conditions written for an older spec (another schedule, suspend) say nothing about this one.
-- Generations that are not numbers (nor numeric strings) are ignored.
local generation = tonumber(field(field(obj, "metadata"), "generation"))
local observed = tonumber(field(status, "observedGeneration"))
if generation ~= nil and observed ~= nil and observed < generation then
  return {
    status = "Progressing",
    message = "Waiting for the image registry operator to observe generation " .. tostring(generation)
      .. " (status is for generation " .. tostring(observed) .. ")",
  }
end

-- Degraded: reason SyncError (the CronJob could not be applied) or JobFailed (the last finished
-- pruner Job failed; its message is the Job's). It clears when a later Job succeeds.
local degraded = find(conditions, "Degraded")
if isTrue(degraded) then
  return { status = "Degraded", message = text(degraded) }
end

local available = find(conditions, "Available")
if not isTrue(available) then
  local message = "Waiting for the image registry operator to create the pruner CronJob"
  if available ~= nil then
    message = text(available)
  end
  return { status = "Progressing", message = message }
end

-- Scheduled is False with reason Suspended when spec.suspend is true: that is what Git declares,
-- so Healthy with the operator's message (a Suspended resource never completes a multi-wave sync).
local scheduled = find(conditions, "Scheduled")
if scheduled ~= nil then
  return { status = "Healthy", message = text(scheduled) }
end
return { status = "Healthy", message = text(available) }
