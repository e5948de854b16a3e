import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { plural } from '../../shared/plural';
import type { SigningSecret } from '../profile/signature';
import type { NewDelivery } from '../store/deliveries-repository';
import { describeFailure } from '../util/supervisor';
import { systemErrorReason } from '../util/system-errors';
import { EntryProblem, harDelivery, importedDelivery } from './imported-delivery';
import { jsonElements, JsonShapeError } from './json-elements';
import { lines } from './lines';

/** Why a file cannot be imported at all (not an export, unreadable): the import stops there. */
export class ImportError extends Error {
  override name = 'ImportError';
}

/**
 * The most one entry (a delivery, a line, a HAR entry) may take in the file: each is read and
 * parsed on its own, so this, not the file's size, bounds the memory an import takes.
 */
export const MAX_ENTRY_BYTES = 16 * 1024 * 1024;
/** Rows written before waiting for their commits, by count and by bytes. */
const BATCH = 500;
const BATCH_BYTES = 8 * 1024 * 1024;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** One entry of a file: where it is ("Delivery 3", "Line 7", "HAR entry 2") and what it holds. */
interface Entry {
  where: string;
  read: () => NewDelivery;
}

/** An entry's text as a row; one over the limit, or not JSON, is an EntryProblem. */
function parsed(text: string | null, bytes: number, toRow: (item: unknown) => NewDelivery): () => NewDelivery {
  return () => {
    if (text === null) throw new EntryProblem(`it takes ${mib(bytes)}, more than the ${mib(MAX_ENTRY_BYTES)} one entry may (an import reads one entry at a time)`);
    let item: unknown;
    try {
      item = JSON.parse(text);
    } catch (error) {
      throw new EntryProblem(`it is not JSON (${(error as Error).message})`);
    }
    return toRow(item);
  };
}

async function* ndjsonEntries(file: string, secrets: readonly SigningSecret[]): AsyncGenerator<Entry> {
  for await (const line of lines(createReadStream(file), MAX_ENTRY_BYTES)) {
    if (line.text !== null && line.text.trim() === '') continue;
    yield { where: `Line ${line.number}`, read: parsed(line.text, line.bytes, (item) => importedDelivery(item, secrets)) };
  }
}

/** A Hooklens json export ({"deliveries": […]}) or a HAR ({"log": {"entries": […]}}), an element at a time. */
async function* documentEntries(file: string, secrets: readonly SigningSecret[]): AsyncGenerator<Entry> {
  let found = false;
  try {
    for await (const element of jsonElements(createReadStream(file), [['deliveries'], ['log', 'entries']], MAX_ENTRY_BYTES)) {
      found = true;
      const har = element.array === 1;
      yield {
        where: `${har ? 'HAR entry' : 'Delivery'} ${element.index + 1}`,
        read: parsed(element.text, element.bytes, (item) => (har ? harDelivery(item, secrets) : importedDelivery(item, secrets))),
      };
    }
  } catch (error) {
    if (error instanceof JsonShapeError) throw new ImportError(`${file} ${error.message}.`);
    throw error;
  }
  if (!found) throw new ImportError(`${file} is neither a Hooklens export (json) nor a HAR file.`);
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
  /** After each batch is committed (the CLI makes it searchable then, so no text waits in memory). */
  afterBatch?: () => void;
}

/** Thrown when a file stops being readable part-way: says how much was imported before. */
function stopped(error: ImportError, imported: number): ImportError {
  return new ImportError(`${error.message} Stopped there${imported > 0 ? `, after importing ${plural(imported, 'delivery', 'deliveries')} before it` : '; nothing was imported'}.`);
}

/**
 * Imports an export (json, ndjson or HAR) into this Hooklens: rows marked imported, bodies
 * byte-exact, linked to other deliveries of their event id as if they had been received here.
 * An entry that fails its checks is skipped and reported (where and why), the rest go on; a file
 * that is not an export stops the import (ImportError), keeping what came before.
 */
export async function importFile(file: string, options: ImportOptions): Promise<ImportResult> {
  let batch: Promise<unknown>[] = [];
  let batchBytes = 0;
  let imported = 0;
  let skipped = 0;
  /** Waits for the batch's commits and counts those that were stored; the first failure is rethrown. */
  const settle = async () => {
    const results = await Promise.allSettled(batch);
    batch = [];
    batchBytes = 0;
    imported += results.filter((result) => result.status === 'fulfilled').length;
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw new ImportError(`The database did not take a delivery: ${describeFailure(failed.reason).replace(/\.$/, '')}.`);
    options.afterBatch?.();
    options.onProgress?.(imported);
  };
  try {
    const entries = isNdjson(file) ? ndjsonEntries(file, options.secrets) : documentEntries(file, options.secrets);
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
      batchBytes += (row.body?.length ?? 0) + (row.searchText?.length ?? 0);
      if (batch.length === BATCH || batchBytes >= BATCH_BYTES) await settle();
    }
    await settle();
  } catch (error) {
    // What came before is stored: say how much, so a fixed file is not imported twice unknowingly.
    await settle().catch(() => undefined);
    if (error instanceof ImportError) throw stopped(error, imported);
    const reason = systemErrorReason(error);
    if (reason !== null) throw stopped(new ImportError(`Cannot read ${file}: ${reason}.`), imported);
    throw error;
  }
  return { imported, skipped };
}
