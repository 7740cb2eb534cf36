import * as kafkaconnect from 'aws-cdk-lib/aws-kafkaconnect';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface ConnectPluginProps {
  /** The plugin's name in MSK Connect, e.g. "lakewall-dev-debezium-postgres". */
  readonly name: string;
  readonly description: string;
  /** Where the zip built by the plugin's Nx target was uploaded. */
  readonly bucket: IBucket;
  readonly objectKey: string;
}

/** An MSK Connect custom plugin: a zip of connector jars in S3, produced by an Nx target. */
export class ConnectPlugin extends Construct {
  readonly plugin: kafkaconnect.CfnCustomPlugin;

  constructor(scope: Construct, id: string, props: ConnectPluginProps) {
    super(scope, id);
    if (!props.objectKey.endsWith('.zip') && !props.objectKey.endsWith('.jar')) {
      throw new Error(`ConnectPlugin ${this.node.path}: ${props.objectKey} is not a .zip or .jar`);
    }
    this.plugin = new kafkaconnect.CfnCustomPlugin(this, 'Plugin', {
      name: props.name,
      description: props.description,
      contentType: props.objectKey.endsWith('.jar') ? 'JAR' : 'ZIP',
      location: { s3Location: { bucketArn: props.bucket.bucketArn, fileKey: props.objectKey } },
    });
  }
}
