import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { problemsWith } from '../../scripts/ci/require-tests-ran';

// The GitHub Actions workflow cannot run here (no GitHub, no Electron binary): this checks that it
// says what it must — three systems, npm ci with Electron, npm test, the Electron smoke test that
// may not skip, packages on tags — so a broken edit shows up in review, not on the first tag.

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  shell?: string;
  'continue-on-error'?: unknown;
}
interface Workflow {
  on: { push: { branches: string[]; tags: string[] }; pull_request: unknown };
  jobs: Record<string, { 'runs-on': string; strategy: { matrix: { os: string[] }; 'fail-fast': boolean }; steps: Step[]; env?: Record<string, string> }>;
}

const workflow = parse(readFileSync(join(__dirname, '..', '..', '.github', 'workflows', 'ci.yml'), 'utf8')) as Workflow;
const job = workflow.jobs.test!;
const steps = job.steps;
const runs = (pattern: RegExp) => steps.filter((step) => pattern.test(step.run ?? ''));
const onTagsOnly = (step: Step) => step.if === "startsWith(github.ref, 'refs/tags/v')";

describe('CI workflow (.github/workflows/ci.yml)', () => {
  it('runs on pushes, version tags and pull requests', () => {
    expect(workflow.on.push.branches).toContain('main');
    expect(workflow.on.push.tags).toEqual(['v*']);
    expect(workflow.on).toHaveProperty('pull_request');
  });

  it('runs one job per system: Ubuntu, macOS, Windows, each to the end', () => {
    expect(job.strategy.matrix.os).toEqual(['ubuntu-latest', 'macos-latest', 'windows-latest']);
    expect(job['runs-on']).toBe('${{ matrix.os }}');
    expect(job.strategy['fail-fast']).toBe(false);
  });

  it('checks out, sets up Node 22 with the npm cache, and installs with the Electron binary', () => {
    expect(steps[0]?.uses).toMatch(/^actions\/checkout@v\d+$/);
    const node = steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(node?.with).toEqual({ 'node-version': 22, cache: 'npm' });
    const install = runs(/^npm ci\b/);
    expect(install).toHaveLength(1);
    // Electron's binary must be downloaded here: nothing may skip it.
    expect(JSON.stringify(workflow)).not.toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
  });

  it('runs npm test with Playwright\'s Chromium', () => {
    const chromium = runs(/npx playwright install --with-deps chromium/);
    expect(chromium).toHaveLength(1);
    expect(chromium[0]?.run).toContain('HOOKLENS_CHROMIUM=');
    expect(runs(/^npm test$/)).toHaveLength(1);
    expect(steps.indexOf(chromium[0]!)).toBeLessThan(steps.indexOf(runs(/^npm test$/)[0]!));
  });

  it('runs the _electron smoke test on every system, under xvfb-run on Linux, and fails if it skipped', () => {
    const smoke = runs(/npx playwright test test\/e2e\/electron\.spec\.ts/);
    expect(smoke.map((step) => step.if).sort()).toEqual(["runner.os != 'Linux'", "runner.os == 'Linux'"]);
    const linux = smoke.find((step) => step.if === "runner.os == 'Linux'")!;
    expect(linux.run).toMatch(/^xvfb-run -a npx playwright test test\/e2e\/electron\.spec\.ts/m);
    for (const step of smoke) {
      expect(step['continue-on-error']).toBeUndefined();
      expect(step.env?.PLAYWRIGHT_JSON_OUTPUT_FILE).toBe('electron-report.json');
      expect(step.run).toContain('node --import tsx scripts/ci/require-tests-ran.ts electron-report.json 2');
    }
    // After npm ci and npm test, so Electron and out/ are there.
    expect(steps.indexOf(smoke[0]!)).toBeGreaterThan(steps.indexOf(runs(/^npm test$/)[0]!));
  });

  it('packs and starts the packaged app on every run (under xvfb-run on Linux)', () => {
    const unpacked = runs(/^npm run dist -- --dir$/);
    expect(unpacked).toHaveLength(1);
    expect(unpacked[0]?.if).toBe("!startsWith(github.ref, 'refs/tags/v')");
    const smoke = runs(/node --import tsx scripts\/ci\/package-smoke\.ts$/);
    expect(smoke.map((step) => step.if).sort()).toEqual(["runner.os != 'Linux'", "runner.os == 'Linux'"]);
    expect(smoke.find((step) => step.if === "runner.os == 'Linux'")?.run).toBe('xvfb-run -a node --import tsx scripts/ci/package-smoke.ts');
    for (const step of smoke) expect(steps.indexOf(step)).toBeGreaterThan(Math.max(steps.indexOf(unpacked[0]!), steps.indexOf(runs(/^npm run dist$/)[0]!)));
  });

  it('builds the desktop packages on version tags only, and uploads them', () => {
    const dist = runs(/^npm run dist$/);
    expect(dist).toHaveLength(1);
    expect(onTagsOnly(dist[0]!)).toBe(true);
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(upload && onTagsOnly(upload)).toBe(true);
    expect(String(upload?.with?.path).split('\n').filter(Boolean)).toEqual(['dist/*.AppImage', 'dist/*.deb', 'dist/*.dmg', 'dist/*.exe']);
    expect(upload?.with?.['if-no-files-found']).toBe('error');
    expect(steps.indexOf(upload!)).toBeGreaterThan(steps.indexOf(dist[0]!));
  });
});

describe('require-tests-ran (the smoke test may not skip on CI)', () => {
  it('passes a run where enough tests passed and none skipped', () => {
    expect(problemsWith({ expected: 2, unexpected: 0, flaky: 0, skipped: 0 }, 2)).toEqual([]);
  });

  it('fails a run that skipped (no Electron), failed, or ran too few', () => {
    expect(problemsWith({ expected: 0, unexpected: 0, flaky: 0, skipped: 2 }, 2)).toHaveLength(2);
    expect(problemsWith({ expected: 1, unexpected: 1, flaky: 0, skipped: 0 }, 2)).toEqual(['1 test(s) failed.', 'only 1 test(s) passed, expected at least 2.']);
    expect(problemsWith({ expected: 0, unexpected: 0, flaky: 0, skipped: 0 })).toEqual(['only 0 test(s) passed, expected at least 1.']);
  });
});
