// A child process for young-generation.test.ts (a fresh V8 each time: the cap changes V8 flags).
//   <mode> = default | capped: allocates like a busy server (across event-loop turns, a rolling
//     window of survivors) and prints the largest new space V8 gave it, in bytes;
//   cache <file> [raw]: caps, loads until capped, then writes a code cache of a script to <file>
//     (raw: without withV8DefaultFlags);
//   check <file>: prints whether a fresh, uncapped start accepts that cache.
import { readFileSync, writeFileSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { getHeapSpaceStatistics } from 'node:v8';
import { Script } from 'node:vm';

const { capYoungGeneration, withV8DefaultFlags, YOUNG_GENERATION_CAP_BYTES } = require('../../bin/young-generation.js') as {
  capYoungGeneration: () => void;
  withV8DefaultFlags: <T>(make: () => T) => T;
  YOUNG_GENERATION_CAP_BYTES: number;
};

const SOURCE = 'function answer(n) { return n * 2; } answer(21);';
const newSpace = (): number => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;

async function load(until: () => boolean = () => false): Promise<number> {
  let survivors: object[] = [];
  let largest = 0;
  for (let turn = 0; turn < 600 && !until(); turn++) {
    for (let index = 0; index < 5000; index++) survivors.push({ id: turn * 5000 + index, text: `delivery ${index}`, list: [index] });
    if (survivors.length > 60_000) survivors = survivors.slice(-30_000);
    await nextTurn();
    largest = Math.max(largest, newSpace());
  }
  return largest;
}

async function main(): Promise<void> {
  const [mode, file, raw] = process.argv.slice(2);
  if (mode === 'check') {
    const script = new Script(SOURCE, { cachedData: readFileSync(file as string) });
    process.stdout.write(script.cachedDataRejected ? 'rejected\n' : 'accepted\n');
    return;
  }
  if (mode !== 'default') capYoungGeneration();
  if (mode !== 'cache') {
    process.stdout.write(`${await load()}\n`);
    return;
  }
  await load(() => newSpace() >= YOUNG_GENERATION_CAP_BYTES);
  // Let the GC observer see it.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const script = new Script(SOURCE);
  script.runInThisContext();
  writeFileSync(file as string, raw === 'raw' ? script.createCachedData() : withV8DefaultFlags(() => script.createCachedData()));
  process.stdout.write('written\n');
}

void main();
