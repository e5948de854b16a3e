import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sampleEvent } from '../../src/main/profile/samples';
import { sign } from '../../src/main/profile/signature';
import { UI_CSP } from '../../src/shared/csp';
import { runCli, type ServeProcess } from '../helpers/cli';
import { post } from '../helpers/http';
import { tempDir } from '../helpers/temp-dir';

// The CLI as npm users get it (`npm i -g hooklens`, `npx hooklens@latest serve`): `npm pack` the
// project, install the tarball into an empty folder (no clone, no devDependencies, no Electron),
// and capture a delivery with the installed `hooklens`. better-sqlite3 installs as it would for a
// user: a prebuilt download, else a compile from source (about a minute on two cores).

const ROOT = join(__dirname, '..', '..');
const SECRET = 'whsec_npm_package';
const windows = process.platform === 'win32';
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/**
 * The modules a bundle requires or imports, read from its syntax tree: Fastify and zod are bundled
 * in, and their comments and generated-code strings mention requires that are never run.
 */
function requiredModules(fileName: string, code: string): { required: string[]; dynamicImports: number } {
  const required: string[] = [];
  let dynamicImports = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) dynamicImports++;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
      const [first] = node.arguments;
      if (first && ts.isStringLiteral(first)) required.push(first.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS));
  return { required, dynamicImports };
}

function runNpm(args: string[], cwd: string, timeoutMs?: number) {
  // npm is npm.cmd on Windows: it needs a shell there.
  return spawnSync('npm', args, { cwd, encoding: 'utf8', shell: windows, timeout: timeoutMs, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
}

function npm(args: string[], cwd: string, timeoutMs?: number): string {
  const result = runNpm(args, cwd, timeoutMs);
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
    throw new Error(`npm ${args.join(' ')} did not finish within ${Number(timeoutMs) / 1000} s (a registry, or GitHub for better-sqlite3's prebuilt binary, that stopped answering?):\n${result.stdout}\n${result.stderr}`);
  }
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${result.status ?? result.error?.message}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/**
 * Why npm cannot reach its registry (the one npm is configured with), or null. Asked first because
 * an install against a registry that does not answer waits minutes on each request before it fails.
 */
function registryProblem(): string | null {
  const ping = runNpm(['ping', '--fetch-timeout=10000', '--fetch-retries=0'], ROOT, 30_000);
  if (ping.status === 0) return null;
  const registry = runNpm(['config', 'get', 'registry'], ROOT, 30_000).stdout.trim();
  // npm's own line for it: "network timeout at: …", "code ECONNREFUSED", "code ENOTFOUND", "code E404"…
  const npmSays = ping.stderr.split('\n').find((line) => /network|timeout|code E/.test(line))?.replace(/^npm error /, '');
  const why = ping.error ? `no answer within 30 s (${ping.error.message})` : (npmSays ?? (ping.stderr.trim() || `exit code ${ping.status}`));
  return `npm cannot reach its registry ${registry} (npm ping: ${why}), so the packed package's dependencies cannot be installed. Run this test where the registry answers, or point npm at one that does (npm_config_registry).`;
}

describe('the npm package (CLI and browser UI, without a clone)', () => {
  let work: ReturnType<typeof tempDir>;
  let packed: { filename: string; files: { path: string }[] };
  let app: string;
  let hooklens: [string, ...string[]];
  const running: ServeProcess[] = [];
  const dirs: ReturnType<typeof tempDir>[] = [];

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'out', 'main', 'cli.js'))) throw new Error('out/ is missing: run `npm run build` first.');
    const problem = registryProblem();
    if (problem) throw new Error(problem);
    work = tempDir('hooklens-npm-');
    // --ignore-scripts: pack the out/ this run built. (prepare would rebuild out/ under the feet of
    // the other tests; `npm publish` builds it in prepublishOnly and prepare.)
    [packed] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work.path], ROOT)) as [typeof packed];
    app = join(work.path, 'app');
    // An empty folder, as a user's would be; npm writes its package.json.
    mkdirSync(app);
    // spawnSync holds the event loop, so the hook's timeout cannot end a stalled install: this does.
    npm(['install', join(work.path, packed.filename), '--no-audit', '--no-fund', '--prefer-offline'], app, 5 * 60_000);
    // POSIX: the bin link npm made, run as a user runs it (its shebang picks node). Windows: npm
    // makes .cmd/.ps1 shims, which need a shell; run the same bin/hooklens.js with node instead.
    hooklens = windows ? [process.execPath, join(app, 'node_modules', 'hooklens', 'bin', 'hooklens.js')] : [join(app, 'node_modules', '.bin', 'hooklens')];
  }, 6 * 60_000);

  afterEach(async () => {
    for (const run of running.splice(0)) {
      if (run.proc.exitCode === null && run.proc.signalCode === null) {
        run.proc.kill('SIGKILL');
        await run.exited;
      }
    }
    for (const dir of dirs.splice(0)) dir.cleanup();
  });

  afterAll(() => work?.cleanup());

  function serve(args: string[]): ServeProcess {
    const data = tempDir('hooklens-npm-data-');
    dirs.push(data);
    const run = runCli(['serve', '--json', '--port', '0', '--secret', SECRET, '--data-dir', data.path, ...args], {}, hooklens);
    running.push(run);
    return run;
  }

  it('ships the built app (main, CLI, preload, browser UI) and bin/, not the sources', () => {
    const files = packed.files.map((file) => file.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'bin/hooklens.js', 'out/main/cli.js', 'out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html']));
    expect(files.some((file) => file.startsWith('out/renderer/assets/') && file.endsWith('.js'))).toBe(true);
    expect(files.filter((file) => !/^(bin|out)\//.test(file) && !['package.json', 'README.md', 'LICENSE'].includes(file))).toEqual([]);
  });

  it('needs at run time only Node and its dependencies (electron only in the desktop entry)', () => {
    const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const builtins = new Set(builtinModules);
    const main = join(app, 'node_modules', 'hooklens', 'out', 'main');
    const bundles = [...readdirSync(main).filter((file) => file.endsWith('.js')), ...readdirSync(join(main, 'chunks')).map((file) => `chunks/${file}`)];
    for (const bundle of bundles) {
      const code = readFileSync(join(main, bundle), 'utf8');
      const { required, dynamicImports } = requiredModules(bundle, code);
      // bin/compile-cache.js compiles the bundles with vm.Script, which cannot run import().
      expect(dynamicImports, `${bundle}: import() calls`).toBe(0);
      const bare = required.filter((name) => !name.startsWith('.'));
      const packages = bare.filter((name) => !name.startsWith('node:') && !builtins.has(name)).map((name) => (name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]));
      const allowed = bundle === 'index.js' ? [...Object.keys(dependencies), 'electron'] : Object.keys(dependencies);
      expect(packages.filter((name) => !allowed.includes(name as string)), bundle).toEqual([]);
    }
  });

  it('installs with its runtime dependencies only: no Electron, no build tools', () => {
    const modules = join(app, 'node_modules');
    for (const runtime of ['hooklens', 'better-sqlite3', 'ulid', '@ngrok/ngrok']) expect(existsSync(join(modules, runtime)), runtime).toBe(true);
    // Fastify and zod are bundled into out/, so npm users do not install them again.
    for (const devOnly of ['electron', 'electron-builder', 'electron-vite', 'vite', 'typescript', 'react', 'vitest', 'fastify', 'zod']) expect(existsSync(join(modules, devOnly)), devOnly).toBe(false);
    expect(existsSync(join(modules, '.bin', windows ? 'hooklens.cmd' : 'hooklens'))).toBe(true);
  });

  it('prints its version and a command help', () => {
    const run = (args: string[]) => spawnSync(hooklens[0], [...hooklens.slice(1), ...args], { encoding: 'utf8' });
    const versionRun = run(['--version']);
    expect(versionRun.status).toBe(0);
    expect(versionRun.stdout.trim()).toBe(version);
    const help = run(['help', 'serve']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--no-ui');
  });

  it('serve --no-ui captures a signed delivery', async () => {
    const run = serve(['--no-ui']);
    const ready = await run.waitFor((line) => line.event === 'ready');
    expect(ready).toMatchObject({ receiverUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/hooks\/reviewsense$/), uiUrl: null });
    const event = sampleEvent('review.analysed');
    const body = JSON.stringify(event);
    const response = await post(ready.receiverUrl as string, body, { 'content-type': 'application/json', 'x-reviewsense-signature': sign(SECRET, body) });
    expect(response.status).toBe(200);
    expect(await run.waitFor((line) => line.event === 'delivery')).toMatchObject({ eventId: event.id, signature: 'valid', status: 200 });
  });

  it('serve --ui serves the browser UI, under its CSP', async () => {
    const run = serve(['--ui', '--ui-port', '0']);
    const ready = await run.waitFor((line) => line.event === 'ready');
    expect(ready.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const page = await fetch(ready.uiUrl as string);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toBe(UI_CSP);
    const html = await page.text();
    expect(html).toContain('<div id="root"></div>');
    // The page's script is in the package too.
    const script = /<script[^>]+src="([^"]+)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(new URL(script as string, ready.uiUrl as string))).status).toBe(200);
  });
});
