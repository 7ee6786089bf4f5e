-- Argo CD health of configs.imageregistry.operator.openshift.io/cluster, read from the
-- conditions the cluster-image-registry-operator writes (pkg/operator/status.go, syncStatus).
-- Lua 5.1 (Argo CD runs gopher-lua): base, string, table and math only.

local function find(conditions, kind)
  for _, c in ipairs(conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

-- The operator's own words; its reason when it wrote no message.
local function text(c)
  if c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return c.reason or c.type
end

local function add(list, message)
  for _, seen in ipairs(list) do
    if seen == message then
      return
    end
  end
  table.insert(list, message)
end

local status = obj.status
if status == nil or status.conditions == nil or #status.conditions == 0 then
  return { status = "Progressing", message = "Waiting for the image registry operator to report status" }
end

-- Conditions written for an older spec say nothing about the one just applied.
local generation = obj.metadata and obj.metadata.generation
local observed = status.observedGeneration
if generation ~= nil and observed ~= nil and observed < generation then
  return {
    status = "Progressing",
    message = "Waiting for the image registry operator to observe generation " .. tostring(generation)
      .. " (status is for generation " .. tostring(observed) .. ")",
  }
end

local conditions = status.conditions
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
  return { status = "Degraded", message = table.concat(problems, "; ") }
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
return { status = "Healthy", message = table.concat(messages, "; ") }
