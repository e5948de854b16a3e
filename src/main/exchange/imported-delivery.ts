import { SIGNATURE_HEADER } from '../../shared/reviewsense/catalogue';
import { isRecord } from '../../shared/records';
import { readStoredEnvelope } from '../profile/envelope';
import { verifySignature, type SigningSecret } from '../profile/signature';
import type { NewDelivery } from '../store/deliveries-repository';
import { headerValues, type HeaderPair } from '../util/header-pairs';
import { importedHeaders } from './imported-headers';

/** Why one entry of a file cannot be imported; the entry is skipped and the rest go on. */
export class EntryProblem extends Error {
  override name = 'EntryProblem';
}

/** An HTTP token (RFC 9110), as a method must be. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,64}$/;
/** A request target as Node receives it: "/", then no space and no control character. */
const PATH = /^\/[\x21-\x7e\x80-\xff]*$/;
const MAX_PATH = 16 * 1024;
/** Dates a delivery can carry: a four-digit year, so every export (HAR's ISO dates) can print it. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MAX_TEXT = 4 * 1024;
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

function problem(text: string): never {
  throw new EntryProblem(text);
}

/** A field that may be absent (undefined); null and a string are what the export writes. */
function optionalText(item: Record<string, unknown>, field: string, max = MAX_TEXT): string | null {
  const value = item[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') problem(`${field} is not text`);
  if (value.length > max) problem(`${field} is longer than ${max} characters`);
  return value;
}

function wholeNumber(item: Record<string, unknown>, field: string, min: number, max: number): number | undefined {
  const value = item[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) problem(`${field} is not a whole number from ${min} to ${max}`);
  return value;
}

/** Unix ms of a real date (1970 to 9999): a date outside that breaks every export of the row. */
function receivedAt(item: Record<string, unknown>): number {
  const value = item.receivedAt;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < EARLIEST || value > LATEST) {
    problem(`receivedAt ${JSON.stringify(value ?? null).slice(0, 40)} is not a date from 1970 to 9999 (whole Unix milliseconds)`);
  }
  return value;
}

function method(value: unknown): string {
  if (typeof value !== 'string' || !TOKEN.test(value)) problem(`the method ${JSON.stringify(String(value).slice(0, 64))} is not an HTTP token`);
  return value;
}

function path(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_PATH || !PATH.test(value)) {
    problem(`the path ${JSON.stringify(String(value).slice(0, 100))} is not a request path (it starts with "/" and holds no space or control character)`);
  }
  return value;
}

function body(item: Record<string, unknown>): Buffer | null {
  const value = item.bodyBase64;
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !BASE64.test(value)) problem('bodyBase64 is not base64');
  return Buffer.from(value, 'base64');
}

/** As the receiver: a mismatch on a larger body is diagnosed when the delivery is opened. */
const DIAGNOSE_BYTES = 1024 * 1024;

/**
 * The verdict this Hooklens reaches itself, against its own secrets: a file's signatureStatus is
 * a claim anyone can write, and a "valid" row could otherwise become the trusted original of a
 * genuine delivery's event id. With no secret here the signature is `unchecked`.
 */
function signature(bytes: Buffer | null, headers: readonly HeaderPair[], secrets: readonly SigningSecret[]): Pick<NewDelivery, 'signatureStatus' | 'signatureSecret' | 'signatureDiagnosis' | 'signatureReceived'> {
  const received = headerValues(headers, SIGNATURE_HEADER);
  if (bytes === null) {
    // Refused as too large where it was captured: nothing to check, as on receipt.
    return {
      signatureStatus: received.length > 0 ? 'unchecked' : 'missing',
      signatureSecret: null,
      signatureDiagnosis: 'The body was over the size limit, so the signature could not be checked.',
      signatureReceived: received.join(', ') || null,
    };
  }
  const check = verifySignature(bytes, received, secrets, { diagnose: bytes.length <= DIAGNOSE_BYTES });
  return {
    signatureStatus: check.status,
    signatureSecret: check.matched ? { label: check.matched.label, fingerprint: check.matched.fingerprint } : null,
    signatureDiagnosis: check.diagnosis,
    signatureReceived: check.received,
  };
}

/**
 * One exported delivery (json, ndjson, or the Hooklens record of a HAR entry) as a row to store,
 * every field checked: a method and header names that are tokens, a path, a real date, base64,
 * numbers in range, bounded text. The event id and type are read from the body and the signature
 * verified against `secrets`, as the receiver does, never taken from the file. Throws EntryProblem
 * with the reason.
 */
export function importedDelivery(item: unknown, secrets: readonly SigningSecret[]): NewDelivery {
  if (!isRecord(item)) problem('it is not an object');
  const bytes = body(item);
  const size = wholeNumber(item, 'bodySize', 0, Number.MAX_SAFE_INTEGER);
  if (bytes !== null && size !== undefined && size !== bytes.length) problem(`bodySize says ${size} bytes, but the body holds ${bytes.length}`);
  const read = importedHeaders(item.headers, item.rawHeaders);
  if ('problem' in read) problem(read.problem);
  const contentType = optionalText(item, 'contentType');
  const remoteAddress = optionalText(item, 'remoteAddress', 100);
  for (const [field, value] of [['contentType', contentType], ['remoteAddress', remoteAddress]] as const) {
    if (value !== null && CONTROL.test(value)) problem(`${field} holds a control character`);
  }
  // Read as the receiver reads it: decoded for search, the stored bytes untouched.
  const envelope = bytes ? readStoredEnvelope(bytes, read.headers) : null;
  return {
    receivedAt: receivedAt(item),
    method: method(item.method),
    path: path(item.path),
    headers: read.headers,
    rawHeaders: read.rawHeaders,
    body: bytes,
    bodySize: size ?? bytes?.length ?? 0,
    contentType,
    remoteAddress,
    eventId: envelope?.eventId ?? null,
    eventType: envelope?.eventType ?? null,
    searchText: envelope?.text ?? null,
    ...signature(bytes, read.headers, secrets),
    responseStatus: wholeNumber(item, 'responseStatus', 100, 599) ?? 200,
    rejection: optionalText(item, 'rejection'),
    parseError: envelope?.problem ?? null,
    imported: true,
    receiverOrigin: receiverOrigin(item.receiverOrigin),
  };
}

/** Where it arrived, kept only when it is an http(s) origin as the receiver records it. */
function receiverOrigin(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') problem('receiverOrigin is not text');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problem(`receiverOrigin ${JSON.stringify(value.slice(0, 100))} is not a URL`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== value) problem(`receiverOrigin ${JSON.stringify(value.slice(0, 100))} is not an origin like http://127.0.0.1:8787`);
  return value;
}

/** A HAR entry: Hooklens's own record when it carries one, else what the HAR request says. */
export function harDelivery(entry: unknown, secrets: readonly SigningSecret[]): NewDelivery {
  if (!isRecord(entry) || !isRecord(entry.request)) problem('it has no request');
  const request = entry.request;
  const own = isRecord(entry._hooklens) ? entry._hooklens : {};
  const headers = Array.isArray(request.headers) ? request.headers.map((header) => (isRecord(header) ? [header.name, header.value] : header)) : request.headers;
  const postData = isRecord(request.postData) ? request.postData : null;
  const text = postData && typeof postData.text === 'string' ? postData.text : null;
  const bodyBase64 = text === null ? null : postData?.encoding === 'base64' ? text : Buffer.from(text).toString('base64');
  let where = own.path;
  if (where === undefined) {
    let url: URL;
    try {
      url = new URL(String(request.url ?? '/'), 'http://imported.invalid');
    } catch {
      problem(`request.url ${JSON.stringify(String(request.url).slice(0, 100))} is not a URL`);
    }
    where = `${url.pathname}${url.search}`;
  }
  let when = own.receivedAt;
  if (when === undefined) {
    when = typeof entry.startedDateTime === 'string' ? Date.parse(entry.startedDateTime) : NaN;
    if (!Number.isFinite(when)) problem(`startedDateTime ${JSON.stringify(String(entry.startedDateTime).slice(0, 40))} is not a date`);
  }
  return importedDelivery({
    ...own,
    method: request.method,
    path: where,
    headers,
    bodyBase64: own.bodyBase64 ?? bodyBase64,
    receivedAt: when,
    responseStatus: own.responseStatus ?? (isRecord(entry.response) && typeof entry.response.status === 'number' && entry.response.status > 0 ? entry.response.status : undefined),
  }, secrets);
}
