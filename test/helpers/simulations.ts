import type { Inspector } from '../../src/main/inspector/inspector';
import type { SimulationStatus } from '../../src/shared/simulation';

/** The simulation's status once `predicate` holds: now, or at the `simulation` event that makes it so. */
export function simulationWhere(on: Inspector, id: number, predicate: (status: SimulationStatus) => boolean): Promise<SimulationStatus> {
  const now = on.listSimulations().find((status) => status.id === id);
  if (now && predicate(now)) return Promise.resolve(now);
  return new Promise((resolve) => {
    const off = on.on('simulation', (status) => {
      if (status.id === id && predicate(status)) {
        off();
        resolve(status);
      }
    });
  });
}
