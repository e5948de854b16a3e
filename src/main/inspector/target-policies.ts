import type { TargetPolicy } from '../sender/target-policy';

/**
 * Where outgoing requests may go: loopback and the allowed hosts, never Hooklens' own control
 * API; and for a forward, never the receiver itself (it would capture its own forward, forever).
 */
export function createTargetPolicies(options: {
  allowHosts: () => readonly string[];
  controlPorts: () => readonly number[];
  receiverPort: () => number | null;
}): { control: TargetPolicy; forward: TargetPolicy } {
  const control: TargetPolicy = {
    allowHosts: options.allowHosts,
    refusedPorts: () => options.controlPorts().map((port) => ({ port, why: "Hooklens' own control API" })),
  };
  const forward: TargetPolicy = {
    allowHosts: options.allowHosts,
    refusedPorts: () => {
      const port = options.receiverPort();
      return [...control.refusedPorts(), ...(port === null ? [] : [{ port, why: "Hooklens' own receiver (a forward there would loop)" }])];
    },
  };
  return { control, forward };
}
