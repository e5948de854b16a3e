import { describe, expect, it } from 'vitest';
import type { Api } from '../../../src/shared/api';
import { useCoreAndStores } from '../../helpers/core-and-stores';

const { core, connected } = useCoreAndStores();

describe('status slice', () => {
  it('an answer to getStatus overtaken by a pushed status does not take that status back (a background problem stays said)', async () => {
    // The core's answer, read now, reaches the store only after a newer status was pushed.
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const api: Api = {
      ...core.api,
      getStatus: async () => {
        const answer = await core.api.getStatus();
        await gate;
        return answer;
      },
    };
    const store = connected(api);
    store.getState().setStatus(await core.api.getStatus());
    const loading = store.getState().loadStatus();
    // Pushed meanwhile, as the event stream does (index.ts applies pushes through setStatus).
    const problem = { task: 'search indexing', message: 'database is locked', since: Date.now(), retryAt: Date.now() + 1_000 };
    store.getState().setStatus({ ...(await core.api.getStatus()), problems: [problem] });
    release();
    await loading;
    expect(store.getState().status?.problems).toEqual([problem]);

    // With nothing pushed meanwhile, the answer is taken.
    await store.getState().loadStatus();
    expect(store.getState().status?.problems).toEqual([]);
  });
});
