// The Leadgen API as the extension uses it. Every failure becomes a LeadgenError whose message a sales rep can
// act on: the server is down, the key was refused, one person's field is wrong. `fetch` is passed in.

export class LeadgenError extends Error {
  constructor(message, { status = 0, fieldErrors = [], retryAfter = null } = {}) {
    super(message);
    this.name = 'LeadgenError';
    this.status = status;
    this.fieldErrors = fieldErrors;
    this.retryAfter = retryAfter;
  }
}

const LOOKUP_LIMIT = 100;
const BATCH_LIMIT = 1000;
const TIMEOUT_MS = 20_000;

export class LeadgenClient {
  constructor({ serverURL, apiKey, fetch: fetchImpl }) {
    this.serverURL = serverURL.replace(/\/+$/u, '');
    this.apiKey = apiKey;
    this.fetch = fetchImpl;
  }

  async request(method, path, body) {
    const url = `${this.serverURL}/api/v1/${path}`;
    let response;
    try {
      response = await this.fetch(url, {
        method,
        headers: { authorization: `Bearer ${this.apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        credentials: 'omit',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      const timedOut = error?.name === 'TimeoutError' || error?.name === 'AbortError';
      throw new LeadgenError(
        timedOut
          ? `Leadgen at ${this.serverURL} did not answer within ${TIMEOUT_MS / 1000} seconds.`
          : `Leadgen is not reachable at ${this.serverURL}. Is the server running, and does it list this extension in LEADGEN_EXTENSION_IDS?`,
      );
    }
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (response.ok) return json;
    const retryAfter = response.headers.get('retry-after');
    const fieldErrors = Array.isArray(json?.errors) ? json.errors : [];
    const detail = typeof json?.detail === 'string' ? json.detail : '';
    const message =
      response.status === 401
        ? 'Leadgen refused the API key: it was revoked or mistyped. Paste a new one in the settings.'
        : response.status === 403
          ? `This API key may not do that${detail ? `: ${detail}` : ''}.`
          : response.status === 429
            ? `Leadgen asks to slow down; try again in ${retryAfter ?? 'a few'} seconds.`
            : response.status >= 500
              ? `Leadgen had a problem (${response.status})${detail ? `: ${detail}` : ''}. Nothing was lost; try again.`
              : detail || `Leadgen answered ${response.status}.`;
    throw new LeadgenError(message, { status: response.status, fieldErrors, retryAfter });
  }

  me() {
    return this.request('GET', 'me');
  }

  async sequences() {
    const page = await this.request('GET', 'sequences');
    return (page?.data ?? []).filter((sequence) => sequence.status !== 'archived');
  }

  /** One result per person, in order: `{lead, last_activity_at, sequences, matched_by}` or `{error}`. */
  async lookup(identifiers) {
    const results = [];
    for (let start = 0; start < identifiers.length; start += LOOKUP_LIMIT) {
      const chunk = identifiers.slice(start, start + LOOKUP_LIMIT);
      const answer = await this.request('POST', 'leads/lookup', { people: chunk });
      results.push(...(answer?.data ?? []).map((result) => ({ ...result, index: result.index + start })));
    }
    return results;
  }

  /** Creates or merges the leads, recorded as captured by the extension on `pageURL`; one result per lead. */
  async capture(leads, pageURL) {
    const results = [];
    for (let start = 0; start < leads.length; start += BATCH_LIMIT) {
      const source = { kind: 'extension', ...(pageURL ? { url: pageURL.slice(0, 2048) } : {}) };
      const answer = await this.request('POST', 'leads/batch', { source, leads: leads.slice(start, start + BATCH_LIMIT) });
      results.push(...(answer?.data ?? []));
    }
    return results;
  }

  enroll(sequenceID, leadIDs) {
    return this.request('POST', `sequences/${encodeURIComponent(sequenceID)}/enroll`, { lead_ids: leadIDs });
  }
}
