-- Argo CD health of configs.imageregistry.operator.openshift.io/cluster, read from the
-- conditions the cluster-image-registry-operator writes (pkg/operator/status.go, syncStatus).
-- Lua 5.1 (Argo CD runs gopher-lua): base, string, table and math only.
-- Any object gets an answer, never a Lua error: a status of the wrong shape counts as none.

-- Messages are capped in bytes, cut between UTF-8 characters: a 50 MB message stays out of the UI.
local PART_MAX = 1000
local MESSAGE_MAX = 2000
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

local function add(list, message)
  for _, seen in ipairs(list) do
    if seen == message then
      return
    end
  end
  table.insert(list, message)
end

local status = field(obj, "status")
local conditions = field(status, "conditions")
if type(conditions) ~= "table" or #conditions == 0 then
  return { status = "Progressing", message = "Waiting for the image registry operator to report status" }
end

-- Conditions written for an older spec say nothing about the one just applied.
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

local available = find(conditions, "Available")
local progressing = find(conditions, "Progressing")
local degraded = find(conditions, "Degraded")
if available == nil then
  return { status = "Progressing", message = "Waiting for the image registry operator to report the Available condition" }
end

-- Degraded: a permanent error (VerificationFailed, StorageNotConfigured), a route not admitted,
-- a rollout past its deadline, or unavailable for 1 minute (5 from 4.23). Progressing with
-- reason Error is a failed apply the operator retries without marking Degraded (two storage
-- back ends, a bucket or claim it cannot create): it does not end by itself, so it fails too.
local problems = {}
if isTrue(degraded) then
  add(problems, text(degraded))
end
if isTrue(progressing) and progressing.reason == "Error" then
  add(problems, text(progressing))
end
if #problems > 0 then
  return { status = "Degraded", message = cap(table.concat(problems, "; "), MESSAGE_MAX) }
end

-- Rolling out, waiting for the deployment, or removing it (managementState Removed).
if isTrue(progressing) then
  return { status = "Progressing", message = text(progressing) }
end
if not isTrue(available) then
  return { status = "Progressing", message = text(available) }
end

-- Available: Ready, MinimumAvailability, and the states Git declares, Removed and Unmanaged
-- (Healthy, not Suspended: a Suspended resource never completes a multi-wave Argo CD sync).
-- A bucket the operator created but could not harden still serves images: said, not Degraded.
local messages = { text(available) }
if available.reason ~= "Removed" and available.reason ~= "Unmanaged" then
  local hardening = { "StorageEncrypted", "StoragePublicAccessBlocked", "StorageTagged", "StorageLabeled", "StorageIncompleteUploadCleanupEnabled" }
  for _, kind in ipairs(hardening) do
    local c = find(conditions, kind)
    if c ~= nil and c.status == "False" then
      add(messages, kind .. ": " .. text(c))
    end
  end
end
return { status = "Healthy", message = cap(table.concat(messages, "; "), MESSAGE_MAX) }
