import type { Attempt } from '../../shared/attempt';
import { SIGNATURE_HEADER_NAME, type ForwardingSettings, type SignatureVariant } from '../../shared/outgoing';
import type { EventType } from '../../shared/reviewsense/catalogue';
import { ApiInputError } from '../../shared/validate';
import { sampleEvent } from '../profile/samples';
import type { SigningSecret } from '../profile/signature';
import { createForwarder } from '../sender/forwarder';
import type { Supervisor } from '../util/supervisor';
import { createHandlerChecks, type HandlerChecksOptions } from './handler-checks';
import type { OutgoingRequest } from '../sender/http-send';
import { createSenderService } from '../sender/sender-service';
import { applySignature } from '../sender/signing';
import { expectationOfCaptured, expectationOfVariant } from '../sender/expectation';
import { fingerprint } from '../profile/signature';
import type { SignedWith } from '../../shared/attempt';
import type { Expectation } from '../../shared/reviewsense/verdict';
import type { TargetPolicy } from '../sender/target-policy';
import type { Store } from '../store/store';

export interface OutgoingServiceOptions {
  store: Pick<Store, 'attempts' | 'forwardQueue' | 'deliveries' | 'settings' | 'simulations'>;
  clock: () => number;
  secrets: () => readonly SigningSecret[];
  /** The secret that signs when none is chosen (see secret-ring.ts `current`). */
  currentSecret: () => SigningSecret | null;
  /** Hosts allowed beyond loopback for this run (`--allow-host`), added to the saved ones. */
  allowHosts: readonly string[];
  /** Ports no request may reach: the control API's (set by the shell that runs one). */
  controlPorts: () => readonly number[];
  receiver: { url: () => string | null; port: () => number | null };
  onAttempt: (attempt: Attempt) => void;
  onForwarding: Parameters<typeof createForwarder>[0]['onChange'];
  onCheck: HandlerChecksOptions['onCheck'];
  /** Runs and reports the background work: the forward queue, simulations. */
  supervisor: Supervisor;
  onSimulation: HandlerChecksOptions['onSimulation'];
}

export interface TestEventRequest {
  target: string | null;
  body: string;
  secretId: string | null;
  variant: Exclude<SignatureVariant, 'keep'>;
}

export interface ReplayRequest {
  id: number;
  target: string | null;
  signature: SignatureVariant;
  secretId?: string | null;
  /** Edited bytes (text) to send instead of the captured ones, signed as asked. */
  body?: string | null;
}

const RECENT_TARGETS = 8;

/**
 * Everything Hooklens sends: forged test events, replays and forwards, through the one sender,
 * with the target policy (loopback unless allowed, never the control port, never a forward loop).
 */
export function createOutgoingService(options: OutgoingServiceOptions) {
  const { store, clock } = options;
  const savedHosts = () => store.settings.get<string[]>('allowHosts') ?? [];
  const controlPolicy: TargetPolicy = {
    allowHosts: () => [...options.allowHosts, ...savedHosts()],
    refusedPorts: () => options.controlPorts().map((port) => ({ port, why: "Hooklens' own control API" })),
  };
  // A forward to the receiver itself would capture its own forward, forever.
  const forwardPolicy: TargetPolicy = {
    allowHosts: controlPolicy.allowHosts,
    refusedPorts: () => {
      const receiverPort = options.receiver.port();
      return [...controlPolicy.refusedPorts(), ...(receiverPort === null ? [] : [{ port: receiverPort, why: "Hooklens' own receiver (a forward there would loop)" }])];
    },
  };
  const sender = createSenderService({ attempts: store.attempts, policy: controlPolicy, clock, onAttempt: options.onAttempt });
  const forwardSender = createSenderService({ attempts: store.attempts, policy: forwardPolicy, clock, onAttempt: options.onAttempt });
  const forwarder = createForwarder({
    sender: forwardSender,
    queue: store.forwardQueue,
    request: (id) => store.deliveries.request(id),
    supervisor: options.supervisor,
    expectation: (request) => expectationOfCaptured(request.body, request.headers, options.secrets(), request.signatureStatus),
    clock,
    onChange: options.onForwarding,
  });

  const checks = createHandlerChecks({
    store,
    sender,
    send: { policy: controlPolicy, clock },
    clock,
    secret: (secretId) => secretValue(secretId),
    defaultTarget: (target) => targetOrReceiver(target),
    onCheck: options.onCheck,
    onSimulation: options.onSimulation,
    supervisor: options.supervisor,
  });

  /** The secret chosen by id, or the current one when none is chosen; null when there is none. */
  function signer(secretId: string | null | undefined): SigningSecret | null {
    if (secretId === null || secretId === undefined) return options.currentSecret();
    const found = options.secrets().find((secret) => secret.id === secretId);
    if (!found) throw new ApiInputError(`No signing secret with id ${secretId}; pick one from Settings.`);
    return found;
  }

  function secretValue(secretId: string | null | undefined): string | null {
    return signer(secretId)?.value ?? null;
  }

  /**
   * Hooklens' own receiver stores and answers every request (200 unless strict): it is not the
   * handler under test, so what it answers is judged by ReviewSense's rule alone.
   */
  function expectationFor(target: string, expect: Expectation): Expectation | null {
    const own = options.receiver.url();
    return own !== null && sameEndpoint(target, own) ? null : expect;
  }

  /** How a request was signed, as every screen names it: the variant and, when one signed, which secret. */
  function signedWithFor(variant: SignatureVariant, secret: SigningSecret | null): SignedWith | null {
    return (variant === 'valid' || variant === 'tampered') && secret ? { label: secret.label, fingerprint: fingerprint(secret.value) } : null;
  }

  function targetOrReceiver(target: string | null): string {
    const resolved = target ?? options.receiver.url();
    if (!resolved) throw new ApiInputError('The receiver is not listening, so there is no default target: give a Target URL.');
    if (target) remember(target);
    return resolved;
  }

  function remember(target: string): void {
    const recent = store.settings.get<string[]>('recentTargets') ?? [];
    store.settings.put('recentTargets', [target, ...recent.filter((entry) => entry !== target)].slice(0, RECENT_TARGETS));
  }

  /** The headers ReviewSense sends with every delivery. */
  function envelopeHeaders(): [string, string][] {
    return [
      ['Content-Type', 'application/json'],
      ['User-Agent', 'Hooklens (ReviewSense webhook test)'],
    ];
  }

  async function sendTestEvent(request: TestEventRequest): Promise<Attempt> {
    const target = targetOrReceiver(request.target);
    const secret = request.variant === 'none' || request.variant === 'invalid' ? null : signer(request.secretId);
    const signed = applySignature(request.variant, secret?.value ?? null, envelopeHeaders(), Buffer.from(request.body));
    const context = { kind: 'send' as const, deliveryId: null, expect: expectationFor(target, expectationOfVariant(request.variant)), signature: request.variant, signedWith: signedWithFor(request.variant, secret) };
    return (await sender.deliver({ target, method: 'POST', headers: signed.headers, body: signed.body }, context)).attempt;
  }

  async function replayDelivery(request: ReplayRequest): Promise<Attempt> {
    const captured = store.deliveries.request(request.id);
    if (!captured) throw new ApiInputError(`Delivery #${request.id} does not exist or has no stored body (a rejected request).`);
    const target = targetOrReceiver(request.target);
    const body = request.body === null || request.body === undefined ? captured.body : Buffer.from(request.body);
    const edited = !body.equals(captured.body);
    if (request.signature === 'keep' && edited) {
      throw new ApiInputError('An edited body cannot keep the captured signature (it would not match): re-sign it.');
    }
    const secret = request.signature === 'valid' || request.signature === 'tampered' ? signer(request.secretId) : null;
    const signed = applySignature(request.signature, secret?.value ?? null, captured.headers, body);
    const outgoing: OutgoingRequest = { target, method: captured.method, headers: signed.headers, body: signed.body };
    // As captured: judged by whether the captured signature is genuine; re-signed: by the variant.
    const expect = expectationFor(target, request.signature === 'keep' ? expectationOfCaptured(captured.body, captured.headers, options.secrets(), captured.signatureStatus) : expectationOfVariant(request.signature));
    const failuresBefore = store.attempts.failedReplays(request.id);
    const context = { kind: 'replay' as const, deliveryId: request.id, failuresBefore, expect, signature: request.signature, signedWith: signedWithFor(request.signature, secret), edited };
    return (await sender.deliver(outgoing, context)).attempt;
  }

  /** The signature header a send would carry for this body, computed in the core (secrets never leave it). */
  function previewSignature(request: { body: string; secretId: string | null; variant: Exclude<SignatureVariant, 'keep'> }): { header: string; value: string | null; note: string } {
    if (request.variant === 'none') return { header: SIGNATURE_HEADER_NAME, value: null, note: 'No signature header: your handler must reject it.' };
    if (request.variant === 'invalid') return { header: SIGNATURE_HEADER_NAME, value: '(64 hex digits made with another secret)', note: 'Well-formed but wrong: your handler must reject it.' };
    const secret = secretValue(request.secretId);
    if (secret === null) return { header: SIGNATURE_HEADER_NAME, value: null, note: 'No signing secret yet: add one in Settings to sign.' };
    const signed = applySignature(request.variant, secret, [], Buffer.from(request.body));
    return {
      header: SIGNATURE_HEADER_NAME,
      value: signed.signature,
      note: request.variant === 'tampered' ? 'Signed, then the body is changed ("tampered": true added): your handler must reject it.' : 'HMAC-SHA256 of the exact bytes sent.',
    };
  }

  function configureForwarding(settings: ForwardingSettings, persist: boolean) {
    if (settings.enabled && !settings.target) throw new ApiInputError('Forwarding needs a Target URL (your app, e.g. http://localhost:3000/webhooks).');
    if (persist) store.settings.put('forwarding', settings);
    return forwarder.configure(settings);
  }

  return {
    checks,
    /** Cuts what is still on its way (queued forwards and simulations resume at the next start). */
    async stop(): Promise<void> {
      forwarder.stop();
      // Halt first, then cut the requests (an aborted try is not stored), then close the fault proxies.
      checks.simulator.halt();
      await Promise.all([sender.stop(), forwardSender.stop()]);
      await checks.simulator.stop();
    },
    newTestEvent: (type: EventType): string => `${JSON.stringify(sampleEvent(type, { now: clock() }), null, 2)}\n`,
    previewSignature,
    sendTestEvent,
    replayDelivery,
    forwarder,
    getForwarding: () => forwarder.status(),
    /** From Settings: saved for the next start. */
    setForwarding: (settings: ForwardingSettings) => configureForwarding(settings, true),
    /** For this run only (`serve --forward-to`). */
    forwardForRun: (settings: ForwardingSettings) => configureForwarding(settings, false),
    restoreForwarding: () => {
      const saved = store.settings.get<ForwardingSettings>('forwarding');
      if (saved?.target) forwarder.configure(saved);
    },
    getOutgoingSettings: () => ({ allowHosts: savedHosts(), runAllowHosts: [...options.allowHosts], recentTargets: store.settings.get<string[]>('recentTargets') ?? [] }),
    setAllowedHosts: (hosts: string[]) => {
      store.settings.put('allowHosts', [...new Set(hosts.map((host) => host.trim().toLowerCase()).filter(Boolean))]);
      // A queue paused on a refused host may go now.
      forwarder.retryNow();
      return { allowHosts: savedHosts(), runAllowHosts: [...options.allowHosts], recentTargets: store.settings.get<string[]>('recentTargets') ?? [] };
    },
    listTemplates: () => store.settings.get<{ name: string; body: string }[]>('templates') ?? [],
    saveTemplate: (template: { name: string; body: string }) => {
      const templates = (store.settings.get<{ name: string; body: string }[]>('templates') ?? []).filter((entry) => entry.name !== template.name);
      const next = [...templates, template].sort((a, b) => a.name.localeCompare(b.name));
      store.settings.put('templates', next);
      return next;
    },
    removeTemplate: (name: string) => {
      const next = (store.settings.get<{ name: string; body: string }[]>('templates') ?? []).filter((entry) => entry.name !== name);
      store.settings.put('templates', next);
      return next;
    },
  };
}

export type OutgoingService = ReturnType<typeof createOutgoingService>;

/** Whether `target` is the receiver at `receiverUrl` (or a path under it), whatever name loopback goes by. */
function sameEndpoint(target: string, receiverUrl: string): boolean {
  try {
    const a = new URL(target);
    const b = new URL(receiverUrl);
    const loopback = (host: string) => (host === 'localhost' || host === '127.0.0.1' || host === '[::1]' ? 'loopback' : host);
    return a.protocol === b.protocol && a.port === b.port && loopback(a.hostname) === loopback(b.hostname) && (a.pathname === b.pathname || a.pathname.startsWith(`${b.pathname.replace(/\/+$/, '')}/`));
  } catch {
    return false;
  }
}
