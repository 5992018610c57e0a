import type { AdmissionChecks, Adjustments, BucketCheck } from '../spec/state.js';

/**
 * Lua scripts: each runs atomically inside Redis, so replicas can never interleave between the
 * check and the charge. `admit` mirrors decideAdmission (token-bucket.ts) step for step; the shared
 * conformance suite runs the same cases against both.
 *
 * Time: ARGV[1] is the caller's clock in tests (injected), empty in production, where the script
 * reads Redis's own clock so that replicas with skewed clocks still share one timeline.
 */
const NOW = `
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end`;

const BUCKET_LEVEL = `
local function level_of(key, cap, rate)
  local s = redis.call('HMGET', key, 'tokens', 'ts')
  local tokens, ts = tonumber(s[1]), tonumber(s[2])
  if tokens == nil then return cap end
  return math.min(cap, tokens + math.max(0, now - ts) * rate)
end
local function write_bucket(key, tokens, cap, rate)
  redis.call('HSET', key, 'tokens', tokens, 'ts', now)
  local ttl = 86400000
  if rate > 0 then ttl = math.ceil(cap / rate) end
  redis.call('PEXPIRE', key, ttl + 1000)
end`;

/**
 * KEYS: mandatory buckets, choice buckets (flattened), budgets.
 * ARGV: now, #buckets, #budgets, #choices, size of each choice, (capacity, refill/ms, cost) per
 * bucket, (limit, amount, ttl ms) per budget.
 * Returns {allowed, refused kind (1 bucket, 2 budget, 3 choices), index, retry-after ms, choice}.
 */
export const ADMIT_LUA = `${NOW}
${BUCKET_LEVEL}
local nb, nbud, nch = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local p = 5
local sizes, nchb = {}, 0
for c = 1, nch do sizes[c] = tonumber(ARGV[p]); nchb = nchb + sizes[c]; p = p + 1 end
local total = nb + nchb
local cap, rate, cost, level = {}, {}, {}, {}
for i = 1, total do
  cap[i], rate[i], cost[i] = tonumber(ARGV[p]), tonumber(ARGV[p + 1]), tonumber(ARGV[p + 2])
  p = p + 3
  level[i] = level_of(KEYS[i], cap[i], rate[i])
end
local NEVER = 9007199254740991
local function wait(i)
  if level[i] >= cost[i] then return 0 end
  if rate[i] <= 0 then return NEVER end
  return math.ceil((cost[i] - level[i]) / rate[i])
end
local function worst(from, to)
  local w, at = 0, -1
  for i = from, to do
    local x = wait(i)
    if x > w then w, at = x, i end
  end
  return w, at
end
local w, at = worst(1, nb)
if w > 0 then return {0, 1, at - 1, w, -1} end
for j = 1, nbud do
  local limit, amount = tonumber(ARGV[p + (j - 1) * 3]), tonumber(ARGV[p + (j - 1) * 3 + 1])
  local spent = tonumber(redis.call('GET', KEYS[total + j]) or '0')
  if spent + amount > limit then return {0, 2, j - 1, 0, -1} end
end
local chosen, first, soonest = -1, nb + 1, NEVER
for c = 1, nch do
  local cw = worst(first, first + sizes[c] - 1)
  if cw == 0 then chosen = c; break end
  if cw < soonest then soonest = cw end
  first = first + sizes[c]
end
if nch > 0 and chosen == -1 then return {0, 3, nch - 1, soonest, -1} end
for i = 1, nb do write_bucket(KEYS[i], level[i] - cost[i], cap[i], rate[i]) end
if chosen > 0 then
  for i = first, first + sizes[chosen] - 1 do write_bucket(KEYS[i], level[i] - cost[i], cap[i], rate[i]) end
end
for j = 1, nbud do
  redis.call('INCRBY', KEYS[total + j], ARGV[p + (j - 1) * 3 + 1])
  redis.call('PEXPIRE', KEYS[total + j], ARGV[p + (j - 1) * 3 + 2])
end
return {1, 0, 0, 0, chosen - 1}`;

/**
 * KEYS: buckets, budgets. ARGV: now, #buckets, (capacity, refill/ms, delta) per bucket,
 * (delta, ttl ms) per budget. Tokens given back never fill a bucket above its capacity.
 */
export const ADJUST_LUA = `${NOW}
${BUCKET_LEVEL}
local nb = tonumber(ARGV[2])
local p = 3
for i = 1, nb do
  local cap, rate, delta = tonumber(ARGV[p]), tonumber(ARGV[p + 1]), tonumber(ARGV[p + 2])
  p = p + 3
  write_bucket(KEYS[i], math.min(cap, level_of(KEYS[i], cap, rate) + delta), cap, rate)
end
for j = nb + 1, #KEYS do
  redis.call('INCRBY', KEYS[j], ARGV[p])
  redis.call('PEXPIRE', KEYS[j], ARGV[p + 1])
  p = p + 2
end
return 1`;

const pushBucket = (keys: string[], args: Array<string | number>, prefix: string, b: BucketCheck): void => {
  keys.push(prefix + b.key);
  args.push(b.capacity, b.refillPerMs, b.cost);
};

/** Flattens one admission into the script's KEYS and ARGV (keys namespaced by `prefix`). */
export const admitArgs = (checks: AdmissionChecks, prefix: string, now: number | undefined): { keys: string[]; args: Array<string | number> } => {
  const keys: string[] = [];
  const args: Array<string | number> = [now ?? '', checks.buckets.length, checks.budgets.length, checks.choices.length];
  for (const c of checks.choices) args.push(c.length);
  for (const b of checks.buckets) pushBucket(keys, args, prefix, b);
  for (const c of checks.choices) for (const b of c) pushBucket(keys, args, prefix, b);
  for (const b of checks.budgets) {
    keys.push(prefix + b.key);
    args.push(b.limit, Math.round(b.amount), Math.ceil(b.ttlMs));
  }
  return { keys, args };
};

export const adjustArgs = (a: Adjustments, prefix: string, now: number | undefined): { keys: string[]; args: Array<string | number> } => {
  const keys: string[] = [];
  const args: Array<string | number> = [now ?? '', a.buckets.length];
  for (const b of a.buckets) {
    keys.push(prefix + b.key);
    args.push(b.capacity, b.refillPerMs, b.delta);
  }
  for (const b of a.budgets) {
    keys.push(prefix + b.key);
    args.push(Math.round(b.delta), Math.ceil(b.ttlMs));
  }
  return { keys, args };
};

/**
 * Shared statistics: adds this replica's deltas, then returns every statistic under the index
 * (one round trip per sync). KEYS[1]: the index set. ARGV: key prefix, ttl ms, #keys, then per
 * key: name, #fields, (field, delta)… Returns {name, {field, value, …}, …}.
 */
export const SYNC_STATS_LUA = `
local prefix, ttl, n = ARGV[1], ARGV[2], tonumber(ARGV[3])
local p = 4
for k = 1, n do
  local name, nf = ARGV[p], tonumber(ARGV[p + 1])
  p = p + 2
  local key = prefix .. name
  for f = 1, nf do
    redis.call('HINCRBYFLOAT', key, ARGV[p], ARGV[p + 1])
    p = p + 2
  end
  redis.call('PEXPIRE', key, ttl)
  redis.call('SADD', KEYS[1], name)
end
local out = {}
for _, name in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local h = redis.call('HGETALL', prefix .. name)
  if #h == 0 then redis.call('SREM', KEYS[1], name) else
    out[#out + 1] = name
    out[#out + 1] = h
  end
end
return out`;
