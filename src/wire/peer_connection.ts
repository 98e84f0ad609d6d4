/**
 * A peer connection on a Deno TCP socket: the handshake exchange, then a stream of frames to read
 * and a batched writer. This is the I/O edge of the wire layer; everything it parses is pure.
 * @module
 */

import { BufferPool } from "../util/buffer_pool.ts";
import { bytesEqual, toHex } from "../util/bytes.ts";
import { type DialMethod, dialPlan, type EncryptionPolicy } from "./encryption_policy.ts";
import type { Handshake, HandshakeFeatures } from "./handshake.ts";
import type { Message } from "./messages.ts";
import { MessageDecoderStream, MessageEncoderStream, type WireFrame } from "./message_streams.ts";
import { incomingTransport, outgoingMseTransport, type Transport } from "./mse_transport.ts";
import { socketReader } from "./socket_reader.ts";
import { socketWriter } from "./socket_writer.ts";

/**
 * Output buffers of every connection's encoder: an upload batch (32 blocks, 512 KiB) reuses one
 * instead of allocating it. Shared, so idle connections hold none; a few connections uploading at
 * once each have up to three in flight (one being written, one queued, one being encoded).
 */
const sendBuffers = new BufferPool({ minLength: 64 * 1024, maxSpare: 8 });

/** Who we are on this connection. */
export interface LocalIdentity {
  readonly infoHash: Uint8Array;
  readonly peerId: Uint8Array;
  readonly features: HandshakeFeatures;
}

/** Options shared by {@linkcode connectPeer} and {@linkcode acceptPeer}. */
export interface ConnectionOptions {
  /** Bound on connect plus handshake. */
  readonly timeoutMs?: number;
  /** Largest message accepted (the bitfield of a huge torrent may need more than the default). */
  readonly maxMessageLength?: number;
  /** When to use MSE, and whether plaintext is allowed at all. Default "tolerate". */
  readonly encryption?: EncryptionPolicy;
}

/** Options of {@linkcode connectPeer}. */
export interface ConnectOptions extends ConnectionOptions {
  /**
   * With the "tolerate" policy: when the peer hangs up on our plaintext handshake, dial once
   * more with an MSE handshake (peers that require encryption do that). Default true.
   */
  readonly encryptionRetry?: boolean;
}

/** Options of {@linkcode acceptPeer}. */
export interface AcceptOptions extends ConnectionOptions {
  /**
   * The info-hashes we serve: a peer opening with an MSE handshake names its torrent only
   * hashed, so it is matched against these. Absent: such peers are refused.
   */
  readonly infoHashes?: () => Iterable<Uint8Array>;
}

/** Raised when a connection cannot be set up (refused, timed out, wrong torrent, ourselves). */
export class PeerConnectError extends Error {
  override name = "PeerConnectError";
}

/**
 * Connected, but no BitTorrent handshake came (garbage, a failed MSE handshake, a hang-up):
 * perhaps the peer speaks only the other way, with or without encryption.
 */
class NoHandshakeError extends PeerConnectError {
  override name = "NoHandshakeError";
}

/** The peer closed the connection without a word: perhaps it wants encryption. */
class ClosedBeforeHandshakeError extends NoHandshakeError {
  override name = "ClosedBeforeHandshakeError";
}

/**
 * An open, handshaken peer connection.
 * @example
 * ```ts
 * const peer = await connectPeer({ host: "127.0.0.1", port: 6881 }, identity);
 * await peer.send([{ type: "interested" }]);
 * const { value } = await peer.frames.read();
 * peer.close();
 * ```
 */
export class PeerConnection {
  /** The remote side's handshake. */
  readonly remote: Handshake;
  /** `host:port` of the remote side. */
  readonly address: string;
  readonly incoming: boolean;
  /** "none": a plaintext connection; otherwise MSE with a plaintext or RC4 stream. */
  readonly encryption: Transport["encryption"];
  /** Frames from the peer (messages; a second handshake would be a protocol error). */
  readonly frames: ReadableStreamDefaultReader<WireFrame>;
  readonly #writer: WritableStreamDefaultWriter<readonly WireFrame[]>;
  readonly #conn: Deno.TcpConn;
  #closed = false;

  constructor(
    conn: Deno.TcpConn,
    remote: Handshake,
    frames: ReadableStreamDefaultReader<WireFrame>,
    writer: WritableStreamDefaultWriter<readonly WireFrame[]>,
    incoming: boolean,
    encryption: Transport["encryption"] = "none",
  ) {
    this.#conn = conn;
    this.encryption = encryption;
    this.remote = remote;
    this.frames = frames;
    this.#writer = writer;
    this.incoming = incoming;
    const addr = conn.remoteAddr as Deno.NetAddr;
    this.address = formatAddress(addr.hostname, addr.port);
  }

  /** Sends a batch of messages as one write; resolves when the socket has taken it. */
  async send(messages: readonly Message[]): Promise<void> {
    if (this.#closed) throw new PeerConnectError("connection closed");
    await this.#writer.write(messages);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Closes the socket; pending reads end and pending writes fail. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.frames.cancel().catch(() => {});
    this.#writer.abort().catch(() => {});
    try {
      this.#conn.close();
    } catch { /* already closed by a stream */ }
  }
}

/** `host:port`, with brackets around IPv6 hosts. */
export function formatAddress(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Connects to a peer and exchanges handshakes, in the order of the encryption policy's
 * {@linkcode dialPlan}: by default plaintext first, and a peer that hangs up on that without
 * answering is dialled once more with an MSE handshake (see
 * {@linkcode ConnectOptions.encryptionRetry}); "prefer" dials MSE first and plaintext second;
 * "require" dials MSE offering RC4 only. Rejects with {@linkcode PeerConnectError} on refusal,
 * timeout, a different info-hash, or a connection to ourselves.
 * @example
 * ```ts
 * const peer = await connectPeer({ host: "127.0.0.1", port: 6881 }, identity, { timeoutMs: 5000 });
 * ```
 */
export async function connectPeer(
  address: { host: string; port: number },
  local: LocalIdentity,
  options: ConnectOptions = {},
): Promise<PeerConnection> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  const plan = dialPlan(options.encryption ?? "tolerate", options.encryptionRetry);
  try {
    return await attempt(plan.first, address, local, options, deadline);
  } catch (error) {
    const fallback = plan.fallback;
    const worthRetrying = fallback?.after === "hang-up"
      ? error instanceof ClosedBeforeHandshakeError
      : error instanceof NoHandshakeError;
    if (!fallback || !worthRetrying || Date.now() >= deadline) throw error;
    return await attempt(fallback.method, address, local, options, deadline);
  }
}

/** One dial: a plaintext handshake, or an MSE handshake offering what the policy allows. */
async function attempt(
  method: DialMethod,
  address: { host: string; port: number },
  local: LocalIdentity,
  options: ConnectOptions,
  deadline: number,
): Promise<PeerConnection> {
  const conn = await dial(address, deadline);
  const transport = method === "plaintext" ? PLAINTEXT : await settle(
    conn,
    outgoingMseTransport(conn, local.infoHash, options.encryption),
    deadline,
    "encryption handshake: ",
    NoHandshakeError,
  );
  return await handshake(conn, { local }, options, deadline, transport);
}

async function dial(
  address: { host: string; port: number },
  deadline: number,
): Promise<Deno.TcpConn> {
  const connecting = Deno.connect({ hostname: address.host, port: address.port });
  try {
    return await raceTimeout(connecting, Math.max(0, deadline - Date.now()), () => {
      connecting.then((late) => late.close(), () => {});
    });
  } catch (error) {
    throw new PeerConnectError(
      `connect to ${formatAddress(address.host, address.port)}: ${messageOf(error)}`,
    );
  }
}

/**
 * Takes an incoming socket, reads the peer's handshake (plaintext, or behind MSE when
 * `options.infoHashes` is given), and answers with ours when `lookup` knows the info-hash it
 * asks for; otherwise the socket is closed. The encryption policy decides the MSE stream method
 * and whether plaintext peers are refused ("require").
 * @example
 * ```ts
 * const peer = await acceptPeer(conn, (infoHash) => identities.get(toHex(infoHash)), {
 *   infoHashes: () => [...identities.values()].map((identity) => identity.infoHash),
 * });
 * ```
 */
export async function acceptPeer(
  conn: Deno.TcpConn,
  lookup: (infoHash: Uint8Array) => LocalIdentity | undefined,
  options: AcceptOptions = {},
): Promise<PeerConnection> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  const transport = await settle(
    conn,
    incomingTransport(conn, options.infoHashes, options.encryption),
    deadline,
  );
  const agreed = transport.infoHash;
  // Behind MSE the BitTorrent handshake must name the torrent the encryption was keyed with.
  const restricted = agreed
    ? (infoHash: Uint8Array) => bytesEqual(infoHash, agreed) ? lookup(infoHash) : undefined
    : lookup;
  return await handshake(conn, { lookup: restricted }, options, deadline, transport);
}

const PLAINTEXT: Transport = { prefix: new Uint8Array(0), encryption: "none" };

/** An outgoing connection knows its torrent up front; an incoming one learns it from the peer. */
type Side =
  | { readonly local: LocalIdentity }
  | { readonly lookup: (infoHash: Uint8Array) => LocalIdentity | undefined };

async function handshake(
  conn: Deno.TcpConn,
  side: Side,
  options: ConnectionOptions,
  deadline: number,
  transport: Transport,
): Promise<PeerConnection> {
  const incoming = "lookup" in side;
  conn.setNoDelay(true);
  const frames = socketReader(conn, {
    prefix: transport.prefix,
    decrypt: transport.ciphers?.decrypt,
  })
    .pipeThrough(
      new MessageDecoderStream({ handshake: true, maxMessageLength: options.maxMessageLength }),
    )
    .getReader();
  const encoder = new MessageEncoderStream({ buffers: sendBuffers });
  encoder.readable.pipeTo(socketWriter(conn, sendBuffers, transport.ciphers?.encrypt))
    .catch(() => {});
  const writer = encoder.writable.getWriter();
  const fail = (why: string, error = PeerConnectError): never => {
    frames.cancel().catch(() => {});
    writer.abort().catch(() => {});
    closeQuietly(conn);
    throw new error(`${remoteAddress(conn)}: ${why}`);
  };
  // The side that connects speaks first.
  if ("local" in side) writer.write([{ type: "handshake", handshake: side.local }]).catch(() => {});
  let first: ReadableStreamReadResult<WireFrame>;
  try {
    first = await raceTimeout(frames.read(), Math.max(0, deadline - Date.now()));
  } catch (error) {
    return fail(`handshake: ${messageOf(error)}`, NoHandshakeError);
  }
  if (first.done) return fail("closed before handshake", ClosedBeforeHandshakeError);
  if (first.value.type !== "handshake") return fail("no handshake", NoHandshakeError);
  const remote = first.value.handshake;
  const local = "local" in side ? side.local : side.lookup(remote.infoHash);
  if (!local) return fail(`unknown info-hash ${toHex(remote.infoHash)}`);
  if (!bytesEqual(remote.infoHash, local.infoHash)) return fail("peer answered another info-hash");
  if (bytesEqual(remote.peerId, local.peerId)) return fail("connected to ourselves");
  if (incoming) writer.write([{ type: "handshake", handshake: local }]).catch(() => {});
  return new PeerConnection(conn, remote, frames, writer, incoming, transport.encryption);
}

/**
 * Waits for a connection's transport (plaintext or MSE) until the deadline; on failure the socket
 * is closed and the error names the peer.
 */
async function settle(
  conn: Deno.TcpConn,
  transport: Promise<Transport>,
  deadline: number,
  what = "",
  error = PeerConnectError,
): Promise<Transport> {
  try {
    return await raceTimeout(transport, Math.max(0, deadline - Date.now()));
  } catch (cause) {
    closeQuietly(conn);
    throw new error(`${remoteAddress(conn)}: ${what}${messageOf(cause)}`);
  }
}

function remoteAddress(conn: Deno.TcpConn): string {
  const addr = conn.remoteAddr as Deno.NetAddr;
  return formatAddress(addr.hostname, addr.port);
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch { /* already closed */ }
}

async function raceTimeout<T>(promise: Promise<T>, ms: number, onTimeout?: () => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          onTimeout?.();
          reject(new Error(`timed out after ${ms} ms`));
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
