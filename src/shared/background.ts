/** A piece of background work that is failing now (indexing, the forward queue, an export, …). */
export interface BackgroundProblem {
  /** What failed, in words: "search indexing", "forward queue", "simulation #3". */
  task: string;
  /** Why, in one sentence. */
  message: string;
  /** When it started failing (Unix ms). */
  since: number;
  /** When it tries again; null when it stopped (or waits for you). */
  retryAt: number | null;
}

/** Pushed when a task starts failing (once until it works again) and when it recovers. */
export interface BackgroundProblemChange {
  task: string;
  /** Null: the task works again. */
  problem: BackgroundProblem | null;
}
