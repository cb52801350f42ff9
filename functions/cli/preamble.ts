/**
 * Runs before anything else in the CLI bundle (main.ts imports it first): stdout carries only
 * the command's output, so Powertools and anything else that logs goes to stderr, one line each.
 */
import { logLine } from './log-lines';

process.env.POWERTOOLS_DEV = 'true'; // the Logger then writes through the global console, routed below
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_SERVICE_NAME ??= 'eks-endpoint-guard';
process.env.POWERTOOLS_METRICS_NAMESPACE ??= 'EksEndpointGuard';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
// A command-line run is not a deployment: the SDK's Node.js support notice would only add noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Every console method: one line on stderr, a person's line unless --log-format json (log-lines.ts).
console.log = logLine;
console.info = logLine;
console.debug = logLine;
console.trace = logLine;
console.warn = logLine;
console.error = logLine;

// A reader that stops early (`| head`) is not an error of ours: stop quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
