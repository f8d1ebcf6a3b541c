import { Pool } from 'undici';

/** An HTTP status the path did not expect, as the error a call fails with. */
export class UnexpectedStatusError extends Error {
  override readonly name = 'UnexpectedStatusError';

  constructor(
    readonly status: number,
    body: string,
  ) {
    super(`HTTP ${status}: ${body.slice(0, 300)}`);
  }
}

/**
 * The api's upload routes over keep-alive connections (undici's pool: far less client CPU than
 * fetch, which shares the 2 cores with what is measured).
 */
export class UploadApi {
  private readonly pool: Pool;

  constructor(origin: string, connections: number) {
    this.pool = new Pool(origin, { connections, pipelining: 1 });
  }

  async createSubtask(title: string): Promise<string> {
    const body = await this.expect(201, 'POST', '/subtasks', { title });
    return (JSON.parse(body) as { id: string }).id;
  }

  /** Creates `count` subtasks, `inFlight` at a time. */
  async createSubtasks(count: number, inFlight: number): Promise<string[]> {
    const ids: string[] = [];
    let next = 0;
    const slot = async () => {
      while (next < count) {
        next += 1;
        ids.push(await this.createSubtask(`bench ${ids.length + 1}`));
      }
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, count) }, slot));
    return ids;
  }

  /** `PUT /subtasks/:id/result?wait=true` (200 with the outcome) or without wait (202). */
  async putResult(subtaskId: string, wait: boolean): Promise<void> {
    const body = await this.expect(
      wait ? 200 : 202,
      'PUT',
      `/subtasks/${subtaskId}/result${wait ? '?wait=true' : ''}`,
      { isWorkerComplete: true },
    );
    if (wait && !body.includes('"outcome":"STORED"'))
      throw new Error(`upload not stored: ${body.slice(0, 300)}`);
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async expect(
    status: number,
    method: 'POST' | 'PUT',
    path: string,
    json: unknown,
  ): Promise<string> {
    const response = await this.pool.request({
      method,
      path,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
    const body = await response.body.text();
    if (response.statusCode !== status)
      throw new UnexpectedStatusError(response.statusCode, body);
    return body;
  }
}
