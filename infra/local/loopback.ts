/**
 * The handlers' AWS SDK clients reach the emulators that live in this process (dynalite, and the runtime's own server
 * for Step Functions, SQS, Scheduler and EventBridge) without a socket: the request the SDK built, signed and
 * serialized is handed to the emulator's request listener as it would arrive from Node's HTTP server, and the answer
 * goes back through the SDK's own deserializer. What is skipped is only the loopback TCP connection and the HTTP
 * parsing on both ends, tens of thousands of times in a long lifecycle (the bench), and nothing that any test is
 * about. Every other endpoint (the SES and S3 emulators, another process) goes over the network as before.
 */
import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, Server } from 'node:http';
import { Readable } from 'node:stream';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions, HttpRequest, HttpResponse } from '@smithy/types';

/** What a request listener needs of a ServerResponse, collected in memory. */
class CollectedResponse extends EventEmitter {
  statusCode = 200;
  headersSent = false;
  writableEnded = false;
  private readonly headers: Record<string, string> = {};
  private readonly chunks: Buffer[] = [];

  constructor(private readonly done: (response: CollectedResponse) => void) {
    super();
  }

  setHeader(name: string, value: number | string | readonly string[]): this {
    this.headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    return this;
  }

  getHeader(name: string): string | undefined {
    return this.headers[name.toLowerCase()];
  }

  writeHead(statusCode: number, headers?: OutgoingHttpHeaders): this {
    this.statusCode = statusCode;
    for (const [name, value] of Object.entries(headers ?? {})) if (value !== undefined) this.setHeader(name, value);
    this.headersSent = true;
    return this;
  }

  write(chunk: string | Uint8Array): boolean {
    this.headersSent = true;
    this.chunks.push(Buffer.from(chunk));
    return true;
  }

  end(chunk?: string | Uint8Array | (() => void), callback?: () => void): this {
    if (this.writableEnded) return this;
    if (typeof chunk === 'function') callback = chunk;
    else if (chunk !== undefined) this.write(chunk);
    this.headersSent = true;
    this.writableEnded = true;
    this.done(this);
    this.emit('finish');
    this.emit('close');
    callback?.();
    return this;
  }

  toSdk(): HttpResponse {
    return { statusCode: this.statusCode, headers: { ...this.headers }, body: Readable.from([Buffer.concat(this.chunks)], { objectMode: false }) };
  }
}

function incoming(request: HttpRequest, body: Buffer): IncomingMessage {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) if (item !== null) query.append(name, item);
  }
  const search = query.size > 0 ? `?${query.toString()}` : '';
  const headers: IncomingHttpHeaders = { host: `${request.hostname}:${request.port}` };
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  return Object.assign(Readable.from(body.length > 0 ? [body] : [], { objectMode: false }), {
    method: request.method,
    url: `${request.path}${search}`,
    headers,
    httpVersion: '1.1',
    socket: { remoteAddress: '127.0.0.1' },
  }) as unknown as IncomingMessage;
}

/** A request body the SDK gives as text or bytes (the JSON protocols); a stream (an S3 upload) is not taken here. */
function bodyBytes(body: unknown): Buffer | undefined {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return undefined;
}

export class LoopbackHttpHandler {
  private readonly servers = new Map<string, Server>();
  private readonly network = new NodeHttpHandler();
  /** Requests served in-process and over the network (what the local runtime's tests look at). */
  readonly served = { inProcess: 0, network: 0 };
  /** Requests handed to a listener and not yet answered. */
  private readonly inFlight = new Set<Promise<CollectedResponse>>();

  /**
   * Requests to `url`'s host and port go to `server`'s request listeners while it listens. Once it is closed they go
   * to the network, and fail there as they would have (a handler still running as the runtime stops).
   */
  serve(url: string, server: Server): void {
    const { hostname, port } = new URL(url);
    this.servers.set(`${hostname}:${port}`, server);
  }

  async handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }> {
    const server = this.servers.get(`${request.hostname}:${request.port ?? ''}`);
    const body = server?.listening ? bodyBytes(request.body) : undefined;
    if (!server || !body) {
      this.served.network += 1;
      return this.network.handle(request as never, options);
    }
    this.served.inProcess += 1;
    const answered = new Promise<CollectedResponse>((resolve) => {
      server.emit('request', incoming(request, body), new CollectedResponse(resolve));
    });
    this.inFlight.add(answered);
    try {
      return { response: (await answered).toSdk() };
    } finally {
      this.inFlight.delete(answered);
    }
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.network.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): object {
    return this.network.httpHandlerConfigs();
  }

  destroy(): void {
    // Shared by every client of the runtime: the runtime destroys its network side when it stops (`close`).
  }

  /**
   * Stops serving in-process, then waits (at most `graceMs`) for the requests already handed to a listener. The
   * runtime closes its emulators after this: dynalite would otherwise close its store under a request it had taken and
   * not yet read (an uncaught "Database is closed"), where a socket would have been cut before it was read.
   */
  async close(graceMs = 2000): Promise<void> {
    this.servers.clear();
    if (this.inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([Promise.allSettled([...this.inFlight]), grace]);
      clearTimeout(timer);
    }
    this.network.destroy();
  }
}
