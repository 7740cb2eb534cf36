import { Stack } from 'aws-cdk-lib';
import * as kafkaconnect from 'aws-cdk-lib/aws-kafkaconnect';
import { Construct } from 'constructs';

export interface ConnectWorkerConfigurationProps {
  /** Its name in MSK Connect, e.g. "lakewall-dev-workers". */
  readonly name: string;
}

/**
 * The worker configuration every connector runs with: secrets resolved at runtime by the Secrets
 * Manager config provider (its jar ships in each custom plugin), never stored in the connector
 * configuration, and connectors allowed to set their client overrides (a sink keeps the model's
 * consumer group across a replacement).
 */
export class ConnectWorkerConfiguration extends Construct {
  readonly configuration: kafkaconnect.CfnWorkerConfiguration;
  readonly properties: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ConnectWorkerConfigurationProps) {
    super(scope, id);
    this.properties = {
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'config.providers': 'secretsmanager',
      'config.providers.secretsmanager.class':
        'com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider',
      'config.providers.secretsmanager.param.region': Stack.of(this).region,
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
