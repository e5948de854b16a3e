import type { SimulationFaults, SimulationState } from '../../shared/simulation';
import type { Db } from './open-database';

export interface StoredSimulation {
  id: number;
  createdAt: number;
  deliveryId: number | null;
  eventType: string | null;
  target: string;
  headers: [string, string][];
  body: Buffer;
  speed: number;
  faults: SimulationFaults | null;
  state: SimulationState;
  tries: number;
  nextTryAt: number | null;
}

interface SimulationRow {
  id: number;
  created_at: number;
  delivery_id: number | null;
  event_type: string | null;
  target: string;
  request_headers: string;
  request_body: Buffer;
  speed: number;
  faults: string | null;
  state: SimulationState;
  tries: number;
  next_try_at: number | null;
}

const toStored = (row: SimulationRow): StoredSimulation => ({
  id: row.id,
  createdAt: row.created_at,
  deliveryId: row.delivery_id,
  eventType: row.event_type,
  target: row.target,
  headers: JSON.parse(row.request_headers) as [string, string][],
  body: row.request_body,
  speed: row.speed,
  faults: row.faults ? (JSON.parse(row.faults) as SimulationFaults) : null,
  state: row.state,
  tries: row.tries,
  nextTryAt: row.next_try_at,
});

/** Retry simulations, so one still running when Hooklens stops goes on at the next start. */
export function createSimulationsRepository(db: Db) {
  const statements = {
    insert: db.prepare(`INSERT INTO simulations (created_at, delivery_id, event_type, target, request_headers, request_body, speed, faults, state, next_try_at)
      VALUES (@createdAt, @deliveryId, @eventType, @target, @headers, @body, @speed, @faults, 'running', @nextTryAt)`),
    get: db.prepare<[number]>('SELECT * FROM simulations WHERE id = ?'),
    recent: db.prepare<[number]>('SELECT * FROM simulations ORDER BY id DESC LIMIT ?'),
    running: db.prepare("SELECT * FROM simulations WHERE state = 'running' ORDER BY id"),
    progress: db.prepare<[SimulationState, number, number | null, number]>('UPDATE simulations SET state = ?, tries = ?, next_try_at = ? WHERE id = ?'),
  };
  return {
    create(simulation: Omit<StoredSimulation, 'id' | 'state' | 'tries'>): StoredSimulation {
      const { lastInsertRowid } = statements.insert.run({ ...simulation, headers: JSON.stringify(simulation.headers), faults: simulation.faults ? JSON.stringify(simulation.faults) : null });
      return toStored(statements.get.get(Number(lastInsertRowid)) as SimulationRow);
    },
    get: (id: number): StoredSimulation | null => {
      const row = statements.get.get(id) as SimulationRow | undefined;
      return row ? toStored(row) : null;
    },
    recent: (limit = 20): StoredSimulation[] => (statements.recent.all(limit) as SimulationRow[]).map(toStored),
    running: (): StoredSimulation[] => (statements.running.all() as SimulationRow[]).map(toStored),
    progress: (id: number, state: SimulationState, tries: number, nextTryAt: number | null): void => void statements.progress.run(state, tries, nextTryAt, id),
  };
}

export type SimulationsRepository = ReturnType<typeof createSimulationsRepository>;
