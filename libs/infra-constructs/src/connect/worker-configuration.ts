import { Stack, Token } from 'aws-cdk-lib';
import * as kafkaconnect from 'aws-cdk-lib/aws-kafkaconnect';
import { Construct } from 'constructs';
import { deriveConnectConfigProviders, type EnvName, type PlatformModel } from '@lakewall/platform-model';

export interface ConnectWorkerConfigurationProps {
  /** Its name in MSK Connect, e.g. "lakewall-dev-workers". */
  readonly name: string;
  /** The platform model: the config provider settings are its derivation, not written here. */
  readonly model: PlatformModel;
  /** The cloud environment the workers run in (its region is the provider's). */
  readonly env: Exclude<EnvName, 'local'>;
}

/**
 * The worker configuration every connector runs with: secrets resolved at runtime by lakewall's
 * Secrets Manager config provider (its plugin directory ships in each custom plugin zip), never
 * stored in the connector configuration, and connectors allowed to set their client overrides (a
 * sink keeps the model's consumer group across a replacement). The provider properties (class,
 * region) come from the model's deriveConnectConfigProviders, the same derivation the local stack's
 * worker uses, so the class name is written in one place.
 */
export class ConnectWorkerConfiguration extends Construct {
  readonly configuration: kafkaconnect.CfnWorkerConfiguration;
  readonly properties: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ConnectWorkerConfigurationProps) {
    super(scope, id);
    const providers = deriveConnectConfigProviders(props.model, props.env);
    // The provider reads secrets in the model's region; a stack deployed elsewhere would look for
    // the connectors' secrets in the wrong region and fail only when a connector starts.
    const region = Stack.of(this).region;
    const modelRegion = props.model.environments[props.env].region;
    if (!Token.isUnresolved(region) && region !== modelRegion)
      throw new Error(
        `worker configuration ${props.name}: the stack's region ${region} is not environment ${props.env}'s region ${modelRegion} in the model`,
      );
    this.properties = {
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      ...providers,
      'connector.client.config.override.policy': 'All',
    };
    const text = Object.entries(this.properties)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n');
    this.configuration = new kafkaconnect.CfnWorkerConfiguration(this, 'Configuration', {
      name: props.name,
      description: 'Secrets Manager config provider; client overrides allowed',
      propertiesFileContent: Buffer.from(text + '\n', 'utf8').toString('base64'),
    });
  }
}
