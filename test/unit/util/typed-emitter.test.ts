import { describe, expect, it } from 'vitest';
import { TypedEmitter, type ListenerErrorReporter } from '../../../src/main/util/typed-emitter';

interface Events {
  delivery: { id: number };
  status: string;
}

/** emit() is for the owner only; a subclass is how real owners (Inspector, TunnelController) reach it. */
class Emitter extends TypedEmitter<Events> {
  fire<K extends keyof Events & string>(event: K, payload: Events[K]): void {
    this.emit(event, payload);
  }
}

function emitter() {
  const reported: { error: unknown; event: string }[] = [];
  const report: ListenerErrorReporter = (error, event) => reported.push({ error, event });
  return { events: new Emitter(report), reported };
}

describe('TypedEmitter', () => {
  it('delivers the payload to every listener of the event, in subscription order, and to no other event', () => {
    const { events } = emitter();
    const calls: string[] = [];
    events.on('delivery', ({ id }) => calls.push(`first ${id}`));
    events.on('delivery', ({ id }) => calls.push(`second ${id}`));
    events.on('status', (text) => calls.push(`status ${text}`));
    events.fire('delivery', { id: 7 });
    expect(calls).toEqual(['first 7', 'second 7']);
  });

  it('reports a throwing listener with its event name, runs the listeners after it, and never throws to the emitter', () => {
    const { events, reported } = emitter();
    const boom = new Error('listener bug');
    const calls: string[] = [];
    events.on('delivery', () => calls.push('before'));
    events.on('delivery', () => {
      throw boom;
    });
    events.on('delivery', () => calls.push('after'));
    events.on('status', () => {
      throw 'not even an Error';
    });

    expect(() => events.fire('delivery', { id: 1 })).not.toThrow();
    expect(calls).toEqual(['before', 'after']);
    expect(reported).toEqual([{ error: boom, event: 'delivery' }]);

    expect(() => events.fire('status', 'online')).not.toThrow();
    expect(reported).toEqual([
      { error: boom, event: 'delivery' },
      { error: 'not even an Error', event: 'status' },
    ]);
  });

  it('an emit with no listeners is a no-op', () => {
    const { events, reported } = emitter();
    expect(() => events.fire('status', 'off')).not.toThrow();
    expect(reported).toEqual([]);
  });

  it('unsubscribes only the listener whose function was called, and a second call is harmless', () => {
    const { events } = emitter();
    const seen: string[] = [];
    const stopA = events.on('status', (text) => seen.push(`a ${text}`));
    events.on('status', (text) => seen.push(`b ${text}`));
    events.fire('status', 'one');
    stopA();
    stopA();
    events.fire('status', 'two');
    expect(seen).toEqual(['a one', 'b one', 'b two']);
  });

  it('a listener that unsubscribes itself or another during an emit does not disturb that emit', () => {
    const { events } = emitter();
    const seen: string[] = [];
    let stopB: () => void = () => undefined;
    const stopA = events.on('status', (text) => {
      seen.push(`a ${text}`);
      stopA();
      stopB();
    });
    stopB = events.on('status', (text) => seen.push(`b ${text}`));
    events.fire('status', 'one');
    events.fire('status', 'two');
    expect(seen).toEqual(['a one', 'b one']);
  });

  it('reports to stderr by default with the event name', () => {
    const events = new (class extends TypedEmitter<Events> {
      fire(): void {
        this.emit('status', 'x');
      }
    })();
    events.on('status', () => {
      throw new Error('default reporter');
    });
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      events.fire();
    } finally {
      process.stderr.write = original;
    }
    expect(written.join('')).toMatch(/^hooklens: a listener of "status" failed: Error: default reporter\n/);
  });
});
