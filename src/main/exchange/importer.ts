import { closeSync, createReadStream, openSync, readFileSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ExportedDelivery } from '../../shared/exchange';
import { SIGNATURE_STATUSES, type SignatureStatus } from '../../shared/reviewsense/catalogue';
import { isRecord } from '../../shared/validate';
import { readStoredEnvelope } from '../profile/envelope';
import type { NewDelivery } from '../store/deliveries-repository';
import { importedHeaders } from './imported-headers';

export class ImportError extends Error {
  override name = 'ImportError';
}

const BATCH = 500;

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** One exported delivery (json, ndjson, or a HAR entry's `_hooklens`) as a row to store. */
function toNew(item: Partial<ExportedDelivery>, where: string): NewDelivery {
  if (typeof item.method !== 'string' || typeof item.path !== 'string' || !Array.isArray(item.headers)) throw new ImportError(`${where}: not a Hooklens delivery (method, path and headers are required).`);
  const body = typeof item.bodyBase64 === 'string' ? Buffer.from(item.bodyBase64, 'base64') : null;
  const status = SIGNATURE_STATUSES.includes(item.signatureStatus as SignatureStatus) ? (item.signatureStatus as SignatureStatus) : 'unchecked';
  const read = importedHeaders(item.headers, item.rawHeaders);
  if ('problem' in read) throw new ImportError(`${where}: ${read.problem}.`);
  const { headers, rawHeaders } = read;
  // Read as the receiver reads it: decoded for search, the stored bytes untouched.
  const envelope = body ? readStoredEnvelope(body, headers) : null;
  return {
    receivedAt: typeof item.receivedAt === 'number' ? item.receivedAt : Date.now(),
    method: item.method,
    path: item.path,
    headers,
    rawHeaders,
    body,
    bodySize: typeof item.bodySize === 'number' ? item.bodySize : (body?.length ?? 0),
    contentType: str(item.contentType),
    remoteAddress: str(item.remoteAddress),
    eventId: str(item.eventId) ?? envelope?.eventId ?? null,
    eventType: str(item.eventType) ?? envelope?.eventType ?? null,
    searchText: envelope?.text ?? null,
    signatureStatus: status,
    signatureSecret: isRecord(item.signatureSecret) && typeof item.signatureSecret.label === 'string' ? { label: item.signatureSecret.label, fingerprint: String(item.signatureSecret.fingerprint ?? '') } : null,
    signatureDiagnosis: str(item.signatureDiagnosis),
    signatureReceived: str(item.signatureReceived),
    responseStatus: typeof item.responseStatus === 'number' ? item.responseStatus : 200,
    rejection: str(item.rejection),
    parseError: str(item.parseError),
    imported: true,
  };
}

/** A HAR entry: Hooklens's own record when it carries one, else what the HAR request says. */
function fromHarEntry(entry: unknown, index: number): NewDelivery {
  const where = `HAR entry ${index + 1}`;
  if (!isRecord(entry) || !isRecord(entry.request)) throw new ImportError(`${where}: no request.`);
  const request = entry.request;
  const headers = Array.isArray(request.headers) ? request.headers.filter(isRecord).map((header) => [String(header.name), String(header.value)] as [string, string]) : [];
  const postData = isRecord(request.postData) ? request.postData : null;
  const text = postData && typeof postData.text === 'string' ? postData.text : null;
  const bodyBase64 = text === null ? null : postData?.encoding === 'base64' ? text : Buffer.from(text).toString('base64');
  const url = new URL(String(request.url ?? '/'), 'http://imported.invalid');
  const own = isRecord(entry._hooklens) ? (entry._hooklens as Partial<ExportedDelivery>) : {};
  return toNew(
    {
      ...own,
      method: String(request.method ?? 'POST'),
      path: own.path ?? `${url.pathname}${url.search}`,
      headers,
      bodyBase64: own.bodyBase64 ?? bodyBase64,
      receivedAt: own.receivedAt ?? (typeof entry.startedDateTime === 'string' ? Date.parse(entry.startedDateTime) : undefined),
      responseStatus: own.responseStatus ?? (isRecord(entry.response) && typeof entry.response.status === 'number' ? entry.response.status : 200),
    },
    where,
  );
}

async function* ndjsonRows(file: string): AsyncGenerator<NewDelivery> {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    line++;
    if (text.trim() === '') continue;
    let item: unknown;
    try {
      item = JSON.parse(text);
    } catch (error) {
      throw new ImportError(`Line ${line} is not JSON: ${(error as Error).message}`);
    }
    yield toNew(item as Partial<ExportedDelivery>, `Line ${line}`);
  }
}

function* wholeFileRows(file: string): Generator<NewDelivery> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ImportError(`${file} is not JSON: ${(error as Error).message}`);
  }
  if (isRecord(parsed) && isRecord(parsed.log) && Array.isArray(parsed.log.entries)) {
    for (const [index, entry] of parsed.log.entries.entries()) yield fromHarEntry(entry, index);
  } else if (isRecord(parsed) && Array.isArray(parsed.deliveries)) {
    for (const [index, item] of parsed.deliveries.entries()) yield toNew(item as Partial<ExportedDelivery>, `Delivery ${index + 1}`);
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

/**
 * Imports an export (json, ndjson or HAR) into this Hooklens: rows marked imported, bodies
 * byte-exact, linked to other deliveries of their event id as if they had been received here.
 */
export async function importFile(file: string, write: (delivery: NewDelivery) => Promise<unknown>, onProgress?: (done: number) => void): Promise<number> {
  const rows: AsyncIterable<NewDelivery> | Iterable<NewDelivery> = isNdjson(file) ? ndjsonRows(file) : wholeFileRows(file);
  let batch: Promise<unknown>[] = [];
  let done = 0;
  try {
    for await (const row of rows) {
      batch.push(write(row));
      if (batch.length === BATCH) {
        await Promise.all(batch);
        done += batch.length;
        batch = [];
        onProgress?.(done);
      }
    }
  } catch (error) {
    // What came before the bad row is stored: say how much, so a fixed file is not imported twice.
    await Promise.allSettled(batch);
    done += batch.length;
    if (error instanceof ImportError) throw new ImportError(`${error.message} Stopped there, having imported ${done} deliver${done === 1 ? 'y' : 'ies'} before it.`);
    throw error;
  }
  await Promise.all(batch);
  done += batch.length;
  onProgress?.(done);
  return done;
}
