import { randomFillSync } from 'node:crypto';

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Request and decision
 * ids are the ledger's and the decision log's index keys; random (v4) keys scatter every insert
 * over the whole B-tree, so a batch of 500 rows dirtied about one index page per row, while
 * time-ordered keys append near the right edge (`node dist/bench/overhead/profile.js`, ledger
 * thread CPU per request, measures it).
 *
 * Written here rather than taken from the `uuid` package: its v7 draws fresh random bytes per id
 * (about 1.5 µs on this machine, twice per request on the hot path). Here the random bits come
 * from a pool of CSPRNG bytes refilled 4 kB at a time, and the 36 characters are written into one
 * scratch buffer and read out as one string: formatting through string slices and concatenations
 * (as re-stamping Node's randomUUID did) left a dozen short-lived strings per id on the heap.
 */
const MAX_MS = 2 ** 48 - 1;
const HEX = Buffer.from('0123456789abcdef', 'latin1');
const VARIANT = Buffer.from('89ab', 'latin1');
const DASH = 0x2d;
/** Where the hex digits of the time go (the first 48 bits: 8 digits, a dash, 4 digits). */
const TIME_AT = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12];
/** Where random hex digits go: after the version digit (3), after the variant digit (3), the last group (12). */
const RANDOM_AT = [15, 16, 17, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35];

const out = Buffer.alloc(36);
for (const i of [8, 13, 18, 23]) out[i] = DASH;
out[14] = 0x37; // '7': the version

const POOL_BYTES = 4_096;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

const randomByte = (): number => {
  if (used === POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  return pool[used++] as number;
};

let lastMs = -1;

export const timeOrderedId = (now: number = Date.now()): string => {
  // 48 bits of milliseconds; a time outside them (or not a number) is clamped rather than misformatted.
  const ms = now >= 0 ? Math.min(MAX_MS, Math.floor(now)) : 0;
  // Many ids share a millisecond: the digits of the time are written once per millisecond.
  if (ms !== lastMs) {
    // 48 bits do not fit a 32-bit shift: the high 16 and low 32 bits are written separately.
    const high = Math.floor(ms / 2 ** 32);
    const low = ms - high * 2 ** 32;
    for (let d = 0; d < 4; d++) out[TIME_AT[d] as number] = HEX[(high >>> (12 - 4 * d)) & 15] as number;
    for (let d = 0; d < 8; d++) out[TIME_AT[4 + d] as number] = HEX[(low >>> (28 - 4 * d)) & 15] as number;
    lastMs = ms;
  }
  for (let i = 0; i < RANDOM_AT.length; i += 2) {
    const b = randomByte();
    out[RANDOM_AT[i] as number] = HEX[b >>> 4] as number;
    out[RANDOM_AT[i + 1] as number] = HEX[b & 15] as number;
  }
  // The variant (binary 10) and two random bits.
  out[19] = VARIANT[randomByte() & 3] as number;
  return out.toString('latin1', 0, 36);
};
