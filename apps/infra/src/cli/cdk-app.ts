/**
 * The CDK app for the CDK CLI (`cdk deploy`, `cdk diff`), used by the `deploy` and `diff` targets:
 * the same stages as `synthAll`, written to the directory the CLI asks for.
 */
import { buildApp } from '../synth-all';

buildApp(process.env.CDK_OUTDIR ?? 'cdk.out').app.synth();
