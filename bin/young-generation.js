'use strict';
// Under sustained load V8 doubles its young generation up to 32 MiB: about 15 MiB of resident
// memory `serve` never needs (a larger one saves scavenges, not deliveries). Its size limit can
// only be set when Node starts (--max-semi-space-size), so once the young generation reaches
// the cap, V8's growth factor, which it reads at each growth, is set to 1 (and back to its default
// when V8 has shrunk the young generation in a quiet spell).
const { PerformanceObserver } = require('node:perf_hooks');
const { debuglog } = require('node:util');
const { getHeapSpaceStatistics, setFlagsFromString } = require('node:v8');

const debug = debuglog('hooklens');
/** New space (both semi-spaces), as --max-semi-space-size=4 would give. */
const YOUNG_GENERATION_CAP_BYTES = 8 * 1024 * 1024;
const V8_DEFAULT_GROWTH = '--semi-space-growth-factor=2';
const NO_GROWTH = '--semi-space-growth-factor=1';
let capped = false;

function newSpaceBytes() {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

function setCapped(cap) {
  if (cap === capped) return;
  setFlagsFromString(cap ? NO_GROWTH : V8_DEFAULT_GROWTH);
  capped = cap;
  debug('young generation %s at %d bytes', cap ? 'capped' : 'may grow again', newSpaceBytes());
}

/**
 * Checked after every GC (a GC entry, so no timer wakes an idle process), for the process's life:
 * V8 shrinks the young generation again when the process idles, and it must be able to grow
 * back to the cap under the next burst.
 */
function capYoungGeneration(capBytes = YOUNG_GENERATION_CAP_BYTES) {
  const check = () => setCapped(newSpaceBytes() >= capBytes);
  check();
  new PerformanceObserver(check).observe({ entryTypes: ['gc'] });
}

/**
 * V8 stamps code caches with its flags. The next start begins with V8's defaults, so a cache is
 * made with the default growth factor in place, or that start would reject it.
 */
function withV8DefaultFlags(make) {
  if (!capped) return make();
  setFlagsFromString(V8_DEFAULT_GROWTH);
  try {
    return make();
  } finally {
    setFlagsFromString(NO_GROWTH);
  }
}

module.exports = { capYoungGeneration, withV8DefaultFlags, YOUNG_GENERATION_CAP_BYTES };
