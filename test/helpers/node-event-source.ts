/**
 * Node 20 has no EventSource; this reads a server-sent event stream over fetch with the same
 * surface the browser client uses (addEventListener with `open`, `error` and named events, close),
 * so the real client can be tested.
 */
export function nodeEventSource(url: string): EventSource {
  const listeners = new Map<string, ((message: MessageEvent<string>) => void)[]>();
  const controller = new AbortController();
  const dispatch = (event: string, message: MessageEvent<string>) => {
    for (const listener of listeners.get(event) ?? []) listener(message);
  };
  void (async () => {
    let response: Response;
    try {
      response = await fetch(url, { signal: controller.signal });
    } catch {
      if (!controller.signal.aborted) dispatch('error', {} as MessageEvent<string>);
      return;
    }
    // As in the browser: open once the stream is answered 200, error otherwise.
    if (!response.ok || !response.body) {
      dispatch('error', {} as MessageEvent<string>);
      return;
    }
    dispatch('open', {} as MessageEvent<string>);
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
          if (event && data !== undefined) dispatch(event, { data } as MessageEvent<string>);
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
