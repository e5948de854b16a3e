import { closeSync, createReadStream, openSync, readFileSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { isRecord } from '../../shared/validate';
import type { SigningSecret } from '../profile/signature';
import type { NewDelivery } from '../store/deliveries-repository';
import { describeFailure } from '../util/supervisor';
import { systemErrorReason } from '../util/system-errors';
import { EntryProblem, harDelivery, importedDelivery } from './imported-delivery';

/** Why a file cannot be imported at all (not an export, unreadable): the import stops there. */
export class ImportError extends Error {
  override name = 'ImportError';
}

const BATCH = 500;

/** One entry of a file: where it is ("Delivery 3", "Line 7", "HAR entry 2") and what it holds. */
interface Entry {
  where: string;
  read: () => NewDelivery;
}

async function* ndjsonEntries(file: string, secrets: readonly SigningSecret[]): AsyncGenerator<Entry> {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    line++;
    if (text.trim() === '') continue;
    yield {
      where: `Line ${line}`,
      read: () => {
        let item: unknown;
        try {
          item = JSON.parse(text);
        } catch (error) {
          throw new EntryProblem(`it is not JSON (${(error as Error).message})`);
        }
        return importedDelivery(item, secrets);
      },
    };
  }
}

function* wholeFileEntries(file: string, secrets: readonly SigningSecret[]): Generator<Entry> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ImportError(`${file} is not JSON (${(error as Error).message}).`);
  }
  if (isRecord(parsed) && isRecord(parsed.log) && Array.isArray(parsed.log.entries)) {
    for (const [index, entry] of parsed.log.entries.entries()) yield { where: `HAR entry ${index + 1}`, read: () => harDelivery(entry, secrets) };
  } else if (isRecord(parsed) && Array.isArray(parsed.deliveries)) {
    for (const [index, item] of parsed.deliveries.entries()) yield { where: `Delivery ${index + 1}`, read: () => importedDelivery(item, secrets) };
  } else {
    throw new ImportError(`${file} is neither a Hooklens export (json) nor a HAR file.`);
  }
}

/** Whether a file holds one JSON document (json, har) or one per line (ndjson). */
function isNdjson(file: string): boolean {
  if (file.endsWith('.ndjson') || file.endsWith('.jsonl')) return true;
  const head = Buffer.alloc(4096);
  const fd = openSync(file, 'r');
  const length = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const start = head.subarray(0, length).toString('utf8').trimStart();
  return start.startsWith('{"id"') || start.startsWith('{ "id"');
}

export interface ImportResult {
  imported: number;
  skipped: number;
}

export interface ImportOptions {
  /** What every signature is verified against (a file's own verdict is never taken). */
  secrets: readonly SigningSecret[];
  /** Stores one delivery; resolves once it is committed. */
  write: (delivery: NewDelivery) => Promise<unknown>;
  /** An entry that cannot be imported: where it is and why ("the method … is not an HTTP token"). */
  onSkipped: (where: string, reason: string) => void;
  onProgress?: (imported: number) => void;
}

/** Thrown when a file stops being readable part-way: says how much was imported before. */
function stopped(error: ImportError, imported: number): ImportError {
  return new ImportError(`${error.message} Stopped there${imported > 0 ? `, after importing ${imported} deliver${imported === 1 ? 'y' : 'ies'} before it` : '; nothing was imported'}.`);
}

/**
 * Imports an export (json, ndjson or HAR) into this Hooklens: rows marked imported, bodies
 * byte-exact, linked to other deliveries of their event id as if they had been received here.
 * An entry that fails its checks is skipped and reported (where and why), the rest go on; a file
 * that is not an export stops the import (ImportError), keeping what came before.
 */
export async function importFile(file: string, options: ImportOptions): Promise<ImportResult> {
  let batch: Promise<unknown>[] = [];
  let imported = 0;
  let skipped = 0;
  /** Waits for the batch's commits and counts those that were stored; the first failure is rethrown. */
  const settle = async () => {
    const results = await Promise.allSettled(batch);
    batch = [];
    imported += results.filter((result) => result.status === 'fulfilled').length;
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw new ImportError(`The database did not take a delivery: ${describeFailure(failed.reason).replace(/\.$/, '')}.`);
    options.onProgress?.(imported);
  };
  try {
    const entries: AsyncIterable<Entry> | Iterable<Entry> = isNdjson(file) ? ndjsonEntries(file, options.secrets) : wholeFileEntries(file, options.secrets);
    for await (const entry of entries) {
      let row: NewDelivery;
      try {
        row = entry.read();
      } catch (error) {
        if (!(error instanceof EntryProblem)) throw error;
        skipped++;
        options.onSkipped(entry.where, error.message);
        continue;
      }
      batch.push(options.write(row));
      if (batch.length === BATCH) await settle();
    }
  } catch (error) {
    // What came before is stored: say how much, so a fixed file is not imported twice unknowingly.
    await settle().catch(() => undefined);
    if (error instanceof ImportError) throw stopped(error, imported);
    const reason = systemErrorReason(error);
    if (reason !== null) throw stopped(new ImportError(`Cannot read ${file}: ${reason}.`), imported);
    throw error;
  }
  await settle();
  return { imported, skipped };
}
