import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OTLP/HTTP endpoint that accepts every export and keeps only its size: the traced bench path
 * pays the apps' whole cost of tracing (spans, batching, encoding, the HTTP export), not a collector's.
 */
export class OtlpSink {
  exports = 0;
  bytes = 0;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<OtlpSink> {
    const server = createServer();
    const sink = new OtlpSink(server);
    server.on('request', (request, response) => {
      request.on('data', (chunk: Buffer) => (sink.bytes += chunk.length));
      request.on('end', () => {
        sink.exports += 1;
        response.writeHead(200, { 'content-type': 'application/x-protobuf' });
        response.end();
      });
    });
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    return sink;
  }

  /** OTEL_EXPORTER_OTLP_ENDPOINT for the apps. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
