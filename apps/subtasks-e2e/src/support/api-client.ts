export interface SubtaskView {
  id: string;
  title: string;
  uploading: boolean;
  uploadRequestId: string | null;
  resultVersion: number | null;
  lastOutcome: string | null;
  lastError: string | null;
  submitted: boolean;
}

export interface HttpAnswer<T> {
  status: number;
  body: T;
}

/** An answer as it came: status, headers and the body unparsed (HTML, JS, JSON). */
export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** The API as a client sees it, over HTTP; `headers` go with every request (e.g. Authorization). */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  /** The same API as another client: these headers instead of this client's. */
  as(headers: Record<string, string>): ApiClient {
    return new ApiClient(this.baseUrl, headers);
  }

  async raw(path: string, method = 'GET'): Promise<RawAnswer> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: this.headers,
    });
    return {
      status: response.status,
      headers: response.headers,
      text: await response.text(),
    };
  }

  async createSubtask(title: string): Promise<SubtaskView> {
    const answer = await this.call<SubtaskView>('POST', '/subtasks', { title });
    if (answer.status !== 201)
      throw new Error(
        `POST /subtasks: ${answer.status} ${JSON.stringify(answer.body)}`,
      );
    return answer.body;
  }

  async subtask(id: string): Promise<SubtaskView> {
    return (await this.call<SubtaskView>('GET', `/subtasks/${id}`)).body;
  }

  putResult<T = { requestId: string }>(
    id: string,
    body: object,
    query = '',
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer<T>> {
    return this.call<T>('PUT', `/subtasks/${id}/result${query}`, body, headers);
  }

  async call<T>(
    method: string,
    path: string,
    body?: object,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...this.headers,
        ...headers,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as T };
  }
}
