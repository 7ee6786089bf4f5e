-- Argo CD health of imagepruners.imageregistry.operator.openshift.io/cluster, read from the
-- conditions the cluster-image-registry-operator writes (pkg/operator/status.go, syncPrunerStatus).
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

local status = obj.status
if status == nil or status.conditions == nil or #status.conditions == 0 then
  return { status = "Progressing", message = "Waiting for the image registry operator to report the pruner's status" }
end

-- Conditions written for an older spec (another schedule, suspend) say nothing about this one.
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
