import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';

/** An error class whose message alone tells the deployer what to fix. */
// biome-ignore lint/suspicious/noExplicitAny: error constructors take any arguments
type ConfigErrorClass = abstract new (...args: any[]) => Error;

/** The tag every resource carries, and the rule packs every template of the project passes. */
export function applyStandards(app: App): void {
  Tags.of(app).add('application', 'eks-endpoint-guard');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
}

/**
 * Runs an app entry point: builds the app, then synthesises it. A configuration mistake (a bad
 * context value, an invalid policy file) is one line on stderr and exit code 1, not a stack trace.
 */
export function synthesise(build: (app: App) => void, configErrors: readonly ConfigErrorClass[]): void {
  const app = new App();
  try {
    build(app);
  } catch (error) {
    if (configErrors.some((type) => error instanceof type)) {
      console.error((error as Error).message);
      process.exit(1);
    }
    throw error;
  }
  app.synth();
}
