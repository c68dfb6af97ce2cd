import { App } from 'aws-cdk-lib';
import { createStacks } from '../app.ts';

// `npx cdk synth` / `npx cdk deploy --all` (cdk.json runs this with tsx). See infra/README.md.
const app = new App();
createStacks(app);
app.synth();
