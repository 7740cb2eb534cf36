import type { CompatibilityResult, RegistryApi } from './types';

/** The Confluent-compatible schema registry API (Apicurio's ccompat/v7 locally). */
export class RegistryClient implements RegistryApi {
  private readonly base: string;

  constructor(
    baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  private async call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.status >= 500) throw new Error(`schema registry ${method} -> HTTP ${res.status}`);
    return { status: res.status, json };
  }

  async subjects(): Promise<string[]> {
    const r = await this.call('GET', '/subjects');
    if (r.status !== 200) throw new Error(`schema registry subjects -> HTTP ${r.status}`);
    return r.json as string[];
  }

  async versions(subject: string): Promise<number[] | undefined> {
    const r = await this.call('GET', `/subjects/${encodeURIComponent(subject)}/versions`);
    return r.status === 200 ? (r.json as number[]) : undefined;
  }

  async version(subject: string, version: number | 'latest') {
    const r = await this.call('GET', `/subjects/${encodeURIComponent(subject)}/versions/${version}`);
    if (r.status !== 200) return undefined;
    const v = r.json as { id: number; version: number; schemaType?: string; schema: string };
    return { id: v.id, version: v.version, schemaType: v.schemaType ?? 'AVRO', schema: v.schema };
  }

  async checkCompatibility(
    subject: string,
    candidate: { schema: string; schemaType: string },
  ): Promise<CompatibilityResult | undefined> {
    if (!(await this.versions(subject))) return undefined;
    const r = await this.call(
      'POST',
      `/compatibility/subjects/${encodeURIComponent(subject)}/versions/latest?verbose=true`,
      candidate,
    );
    if (r.status === 404) return undefined;
    if (r.status === 422 || r.status === 400)
      return { is_compatible: false, messages: ['the candidate schema is not valid'] };
    const j = r.json as { is_compatible?: boolean; messages?: string[] };
    return { is_compatible: j.is_compatible === true, ...(j.messages ? { messages: j.messages } : {}) };
  }
}
