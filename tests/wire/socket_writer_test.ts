import assert from "node:assert/strict";
import { BufferPool } from "../../src/util/buffer_pool.ts";
import { MessageEncoderStream } from "../../src/wire/message_streams.ts";
import { socketWriter } from "../../src/wire/socket_writer.ts";
import { withTimeout } from "../support/process.ts";

/** A connected pair of loopback sockets. */
async function socketPair(): Promise<{ client: Deno.TcpConn; server: Deno.TcpConn }> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const [client, server] = await withTimeout(
      Promise.all([
        Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port }),
        listener.accept(),
      ]),
      5000,
      "loopback connect",
    );
    return { client, server };
  } finally {
    listener.close();
  }
}

async function readExactly(conn: Deno.Conn, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let at = 0;
  while (at < length) {
    const n = await withTimeout(conn.read(out.subarray(at)), 5000, "socket read");
    if (n === null) throw new Error(`closed after ${at} of ${length} bytes`);
    at += n;
  }
  return out;
}

Deno.test("chunks larger than the socket buffer are written in full, then given to the pool", async () => {
  const { client, server } = await socketPair();
  try {
    const pool = new BufferPool({ minLength: 1024, maxSpare: 4 });
    const writer = socketWriter(client, pool).getWriter();
    // 8 MiB: more than loopback takes in one write, so the writer must loop.
    const chunk = pool.take(8 << 20);
    for (let i = 0; i < chunk.length; i += 4096) chunk[i] = (i >> 12) & 0xff;
    const expected = chunk.slice();
    const written = writer.write(chunk);
    const received = await readExactly(server, expected.length);
    await withTimeout(written, 5000, "write");
    assert.deepEqual(received, expected);
    assert.equal(pool.spare, 1, "given back once written");
    assert.equal(pool.take(8 << 20).buffer, chunk.buffer);
  } finally {
    client.close();
    server.close();
  }
});

Deno.test("an encoder and a socket writer on one pool: dirty reused buffers still encode exactly", async () => {
  const { client, server } = await socketPair();
  try {
    const pool = new BufferPool({ minLength: 1024, maxSpare: 2, granule: 1024 });
    const encoder = new MessageEncoderStream({ buffers: pool });
    const piping = encoder.readable.pipeTo(socketWriter(client, pool));
    const writer = encoder.writable.getWriter();
    const block = (fill: number) => new Uint8Array(4000).fill(fill);
    // The first batch leaves a buffer full of 0xAA; the second, smaller one reuses it.
    await writer.write([{ type: "piece", index: 1, begin: 0, block: block(0xaa) }]);
    await readExactly(server, 4 + 9 + 4000);
    await writer.write([{
      type: "piece",
      index: 2,
      begin: 16,
      block: block(0x55).subarray(0, 2000),
    }, {
      type: "have",
      index: 9,
    }]);
    const second = await readExactly(server, 4 + 9 + 2000 + 9);
    assert.deepEqual([...second.subarray(0, 13)], [0, 0, 7, 217, 7, 0, 0, 0, 2, 0, 0, 0, 16]);
    assert.ok(second.subarray(13, 2013).every((x) => x === 0x55));
    assert.deepEqual([...second.subarray(2013)], [0, 0, 0, 5, 4, 0, 0, 0, 9]);
    assert.equal(pool.spare, 1, "the same buffer served both batches");
    await writer.close();
    await withTimeout(piping, 5000, "pipe to end");
    assert.equal(await withTimeout(server.read(new Uint8Array(1)), 5000, "eof"), null, "closed");
  } finally {
    try {
      client.close();
    } catch { /* closed by the writer */ }
    server.close();
  }
});
