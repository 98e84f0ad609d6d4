/**
 * The listening half of the scripted fake peers: accepts connections on 127.0.0.1, runs a
 * handler on each, and closes everything (and waits for the handlers) on `close()`.
 * @module
 */

/** A running fake listener. */
export interface FakeListener {
  readonly port: number;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * Serves each accepted connection with `serve`; the connection is closed when it returns or
 * throws (a client hanging up on a fake peer is expected).
 * @example
 * ```ts
 * const fake = startFakeListener(async (conn) => { await conn.write(new Uint8Array([0])); });
 * await fake.close();
 * ```
 */
export function startFakeListener(serve: (conn: Deno.Conn) => Promise<void>): FakeListener {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let connections = 0;
  const open = new Set<Deno.Conn>();
  const tasks: Promise<void>[] = [];
  const closeConn = (conn: Deno.Conn) => {
    try {
      conn.close();
    } catch { /* closed */ }
  };
  const accepting = (async () => {
    for await (const conn of listener) {
      connections++;
      open.add(conn);
      tasks.push(
        serve(conn).catch(() => {}).finally(() => {
          open.delete(conn);
          closeConn(conn);
        }),
      );
    }
  })().catch(() => {});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    connections: () => connections,
    async close() {
      listener.close();
      for (const conn of open) closeConn(conn);
      await accepting;
      await Promise.all(tasks);
    },
  };
}
