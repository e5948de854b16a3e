import { plural } from '../../shared/plural';
import { hashToken, newToken, tokenNameProblem } from '../relay/tokens';
import { RelayTokenNameTaken, type RelayTokenInfo } from '../store/relay-tokens-repository';
import { openStore } from '../store/store';
import { describeDataDirError } from './cli-errors';
import { parseCommand } from './cli-options';
import { relayDataDir, RELAY_USAGE } from './relay-options';
import type { CliIo } from './serve';
import { EXIT, UsageError } from './usage-error';

/** A running relay may be committing: this process waits for the lock (it answers nobody meanwhile). */
const BUSY_TIMEOUT_MS = 5_000;

/** UTC, so the list reads the same on the server and on a laptop. */
function day(ms: number | null): string {
  return ms === null ? '—' : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

function listing(tokens: RelayTokenInfo[]): string {
  if (tokens.length === 0) return 'No tokens yet: hooklens relay token add NAME';
  const rows = tokens.map((token) => [token.name, day(token.createdAt), day(token.lastUsedAt), token.revokedAt === null ? 'active' : `revoked ${day(token.revokedAt)}`]);
  const table = [['NAME', 'CREATED', 'LAST USED', 'STATE'], ...rows];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  return table.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

/** `hooklens relay token add NAME | list | revoke NAME`: on the relay's database, beside a running relay. */
export async function relayToken(argv: string[], io: Pick<CliIo, 'stdout' | 'stderr' | 'env'>): Promise<number> {
  const { values, positionals } = parseCommand(argv, { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, true);
  if (values.help) {
    io.stdout.write(`${RELAY_USAGE}\n`);
    return EXIT.ok;
  }
  const [action, name, ...extra] = positionals;
  if (action !== 'add' && action !== 'list' && action !== 'revoke') throw new UsageError(`relay token takes add NAME, list or revoke NAME${action ? `, not "${action}"` : ''}.`);
  if (action === 'list' ? name !== undefined : name === undefined || extra.length > 0) {
    throw new UsageError(action === 'list' ? 'relay token list takes no name.' : `relay token ${action} takes one NAME.`);
  }
  const problem = name === undefined ? null : tokenNameProblem(name);
  if (problem) throw new UsageError(problem);
  const dataDir = relayDataDir(values['data-dir'], io.env);

  let store: ReturnType<typeof openStore>;
  try {
    store = openStore(dataDir, { searchIndex: false });
  } catch (error) {
    io.stderr.write(`hooklens: ${describeDataDirError(dataDir, error)}\n`);
    return EXIT.failed;
  }
  try {
    store.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const now = Date.now();
    if (action === 'list') {
      const tokens = store.relayTokens.list();
      io.stdout.write(values.json ? tokens.map((token) => `${JSON.stringify(token)}\n`).join('') : `${listing(tokens)}\n`);
      return EXIT.ok;
    }
    if (action === 'revoke') {
      if (!store.relayTokens.revoke(name as string, now)) {
        io.stderr.write(`hooklens: no active token named "${name}" (hooklens relay token list shows them).\n`);
        return EXIT.failed;
      }
      io.stderr.write(`hooklens: revoked "${name}"; a running relay cuts its open stream within a second.\n`);
      return EXIT.ok;
    }
    const token = newToken();
    store.relayTokens.add(name as string, hashToken(token), now);
    // Alone on stdout, so `$(hooklens relay token add alice)` is the token; the rest is for the person.
    io.stdout.write(`${token}\n`);
    const active = store.relayTokens.list().filter((entry) => entry.revokedAt === null).length;
    io.stderr.write(`hooklens: token "${name}" added (${plural(active, 'active token', 'active tokens')}). It is shown only now: give it to ${name}, who subscribes with\n  hooklens serve --relay https://<this relay> --relay-token-file <file holding it>\n`);
    return EXIT.ok;
  } catch (error) {
    io.stderr.write(`hooklens: ${error instanceof RelayTokenNameTaken ? error.message : describeDataDirError(dataDir, error)}\n`);
    return EXIT.failed;
  } finally {
    store.close();
  }
}
