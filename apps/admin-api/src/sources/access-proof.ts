/**
 * The access proof (`npm run access -- report`) as the compliance route serves it: the AWS half from
 * the synthesized templates of the deployed version (shipped with the service; absent locally,
 * where the stack has no AWS account) and the Kafka half from the cluster's live ACLs. The AWS
 * evaluation is the expensive part and the templates never change while the service runs, so a
 * report is kept for `ttlMs` and concurrent requests share one evaluation.
 */
import {
  buildAccessReport,
  loadEnvironmentTemplates,
  loadExpectedAccess,
  type AccessReport,
  type EnvironmentTemplates,
  type ExpectedAccess,
} from '@lakewall/access-proof';
import type { EnvName, PlatformModel } from '@lakewall/platform-model';
import { SourceUnavailableError, type AccessProofSource, type KafkaReader } from './types';

export interface AccessProofOptions {
  /** The deployed version's cloud assembly (`cdk.out`); none: the Kafka plane alone. */
  readonly templatesDir?: string;
  /** The reviewed expected-access list shipped with the templates. */
  readonly expectedFile?: string;
  /** @default 60000 */
  readonly ttlMs?: number;
}

export class TemplatesAccessProof implements AccessProofSource {
  private readonly templates: EnvironmentTemplates | undefined;
  private readonly expected: ExpectedAccess | undefined;
  private cached: { at: number; report: AccessReport } | undefined;
  private inFlight: Promise<AccessReport> | undefined;

  /** Reads the templates and the list once, at start: a broken assembly stops the service early. */
  constructor(
    private readonly model: PlatformModel,
    private readonly env: EnvName,
    private readonly kafka: Pick<KafkaReader, 'acls'>,
    private readonly opts: AccessProofOptions = {},
  ) {
    this.templates = opts.templatesDir ? loadEnvironmentTemplates(opts.templatesDir, env) : undefined;
    this.expected = opts.expectedFile ? loadExpectedAccess(opts.expectedFile) : undefined;
  }

  get awsEvaluated(): boolean {
    return this.templates !== undefined;
  }

  async report(): Promise<AccessReport> {
    if (this.cached && Date.now() - this.cached.at < (this.opts.ttlMs ?? 60_000)) return this.cached.report;
    this.inFlight ??= this.build().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async build(): Promise<AccessReport> {
    const liveAcls = await this.kafka.acls();
    let report: AccessReport;
    try {
      report = await buildAccessReport({
        model: this.model,
        environment: this.env,
        ...(this.templates ? { templates: this.templates } : {}),
        ...(this.expected ? { expected: this.expected } : {}),
        kafka: { liveAcls },
      });
    } catch (e) {
      throw new SourceUnavailableError(`access proof: ${(e as Error).message}`);
    }
    this.cached = { at: Date.now(), report };
    return report;
  }
}
