import type { SecretInfo } from '../../shared/api';
import type { SecretRing } from '../secrets/secret-ring';

/** The contract's secret calls, answered by the secret ring: values go in, never come back out. */
export function secretsCalls(ring: SecretRing) {
  return {
    listSecrets: (): SecretInfo[] => ring.list(),
    addSecret: (input: { label: string; value: string }): SecretInfo[] => ring.add(input.label, input.value),
    relabelSecret: (id: string, label: string): SecretInfo[] => ring.relabel(id, label),
    rotateSecret: (value: string): SecretInfo[] => ring.rotate(value),
    setSecretRetired: (id: string, retired: boolean): SecretInfo[] => ring.setRetired(id, retired),
    removeSecret: (id: string): SecretInfo[] => ring.remove(id),
  };
}
