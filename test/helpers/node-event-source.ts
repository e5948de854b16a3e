/**
 * Node 20 has no EventSource; this reads a server-sent event stream over fetch with the same
 * surface the browser client uses (addEventListener, close), so the real client can be tested.
 */
export function nodeEventSource(url: string): EventSource {
  const listeners = new Map<string, ((message: MessageEvent<string>) => void)[]>();
  const controller = new AbortController();
  void (async () => {
    const response = await fetch(url, { signal: controller.signal });
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) for (const listener of listeners.get(event) ?? []) listener({ data } as MessageEvent<string>);
        }
      }
    } catch {
      // Aborted by close().
    }
  })().catch(() => undefined);
  return {
    addEventListener(event: string, listener: (message: MessageEvent<string>) => void) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
    },
    close: () => controller.abort(),
  } as unknown as EventSource;
}
