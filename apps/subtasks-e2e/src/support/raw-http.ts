import {
  Agent,
  type ClientRequest,
  type IncomingHttpHeaders,
  request,
} from 'node:http';

export interface RawRequest {
  readonly method: string;
  /** Sent as given: percent-encode what must be encoded. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent with its Content-Length, unless the headers say `transfer-encoding: chunked`. */
  readonly body?: Buffer;
}

export interface RawResponse {
  /** 0: no HTTP answer (connection error or timeout, see `error`). */
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  readonly error?: string;
}

/**
 * HTTP/1.1 with full control of method, path, headers and body bytes, which fetch normalises or
 * refuses (odd methods, invalid UTF-8, declared encodings that do not match the bytes).
 */
export class RawHttpClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(private readonly port: number) {}

  send(
    raw: RawRequest,
    timeoutMs = 20_000,
    resent = false,
  ): Promise<RawResponse> {
    const chunked = raw.headers?.['transfer-encoding'] === 'chunked';
    const headers = {
      ...(raw.body && !chunked
        ? { 'content-length': String(raw.body.length) }
        : {}),
      ...raw.headers,
    };
    return new Promise((resolve) => {
      let outgoing: ClientRequest;
      try {
        outgoing = request({
          host: '127.0.0.1',
          port: this.port,
          method: raw.method,
          path: raw.path,
          headers,
          // A resend goes on a connection of its own: the pool may hold more sockets the server closed.
          agent: resent ? false : this.agent,
        });
      } catch (error) {
        // Node refused to send it: a bug of the caller, not an answer of the server.
        throw new Error(
          `cannot send ${raw.method} ${raw.path}: ${(error as Error).message}`,
        );
      }
      // Cleared with the answer: a timeout set on the socket would stay with it in the keep-alive
      // pool and could later end another request.
      const timer = setTimeout(
        () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const settle = (answer: RawResponse) => {
        clearTimeout(timer);
        resolve(answer);
      };
      let answered = false;
      const failed = (error: unknown) => {
        // Node's documented keep-alive race: the server closed an idle pooled socket just as this
        // request was written on it, so the server never read it. Sent once more on a fresh socket.
        if (
          !resent &&
          !answered &&
          outgoing.reusedSocket &&
          (error as NodeJS.ErrnoException).code === 'ECONNRESET'
        ) {
          clearTimeout(timer);
          resolve(this.send(raw, timeoutMs, true));
          return;
        }
        settle({
          status: 0,
          headers: {},
          text: '',
          error: error instanceof Error ? error.message : String(error),
        });
      };
      outgoing.on('error', failed);
      outgoing.on('response', (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', failed);
        response.on('end', () =>
          settle({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      });
      outgoing.end(raw.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
