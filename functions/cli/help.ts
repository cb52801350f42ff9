/**
 * Descriptions and examples for `--help`. Kept apart from the commands so that printing help
 * loads no AWS SDK code.
 */
export interface CommandHelp {
  summary: string;
  description: string;
  examples: string[];
}

export const PROGRAM_HELP: CommandHelp = {
  summary: 'Keeps the Kubernetes API server endpoint of every EKS cluster compliant with the policy',
  description: `Keeps the Kubernetes API server endpoint of every Amazon EKS cluster compliant with the
organisation policy kept in SSM Parameter Store. The commands run the same code as the
Lambda against whatever AWS the environment points to: POLICY_PARAMETER_NAME, TOPIC_ARN,
RECHECK_QUEUE_URL, AUDIT_TABLE_NAME, AWS_REGION and, for a local emulator, AWS_ENDPOINT_URL.
The policy command group validates, previews, publishes, shows and turns into an SCP the policy.`,
  examples: [
    'npm run demo',
    'npm run cli -- check',
    'npm run cli -- policy validate my-policy.json',
    'npm run cli -- invoke events/update-config-open-world.json',
    'npm run cli -- audit --since 7d --outcome remediated',
    'npm run cli -- report --month 2026-11 --out exposure.html',
  ],
};

export const INVOKE_HELP: CommandHelp = {
  summary: 'run the remediator once on a saved event',
  description: `Runs the remediator once on a saved event, exactly as the Lambda would: the same event
normalisation and the same guard, against whatever AWS the environment points to (set
AWS_ENDPOINT_URL for an emulator). The event may be an EventBridge CloudTrail event, the sweep
schedule or an SQS batch of re-check messages; "-" reads it from standard input. The input is
read first: if (part of) it is not an event the guard can read, it is refused in one line (exit
code 1) and nothing is decided, recorded or alerted. Decisions that failed are reported in the
output; the exit code is 1 when the run itself could not complete. --dry-run decides and reports
without changing, alerting or recording anything. Without --dry-run it writes, so it sends
requests only to AWS's own endpoints or a loopback emulator; any other endpoint (from
AWS_ENDPOINT_URL or a profile) is named and refused unless given with --allow-endpoint (https
only).`,
  examples: [
    'npm run cli -- invoke events/update-config-open-world.json',
    'npm run cli -- invoke events/scheduled-sweep.json --json',
    'cat saved-event.json | npm run cli -- invoke - --dry-run',
  ],
};

export const CHECK_HELP: CommandHelp = {
  summary: 'check every cluster of the account and region (a sweep)',
  description: `Evaluates every EKS cluster of the account and region against the policy (a sweep) and
prints one result per cluster as soon as it is decided, then a summary. Without --fix nothing
changes: a non-compliant cluster is reported as "would-remediate", and no alert, audit record
or re-check is produced. With --fix the guard acts as the Lambda would: it updates the endpoint
configuration, alerts and records its decisions, sending requests only to AWS's own endpoints
or a loopback emulator unless another https endpoint is given with --allow-endpoint. --cluster
limits the check to the named
clusters (repeat it or list several names). Report-only needs POLICY_PARAMETER_NAME and
AWS_REGION only; --fix needs the topic, queue and table too; with --fix the policy's grace
period and blast-radius limit apply as in the Lambda. Exit code 3 when a cluster is left
non-compliant (would-remediate, blocked, deferred within a grace period) or a decision failed,
for CI; --exit-zero makes it 0. --clients decides nothing: it lists each cluster's API clients of
the last CLIENTS_WINDOW_HOURS (24) from its audit log, as the guard reads them before a change
(address, how it reaches the API server today, requests, last seen, users, user agents).`,
  examples: [
    'npm run cli -- check',
    'npm run cli -- check --clients --cluster prod-api',
    'npm run cli -- check --cluster prod-api payments',
    'npm run cli -- check --fix --concurrency 4',
    'npm run cli -- check --json > report.json',
    'npm run cli -- check --exit-zero',
  ],
};

export const AUDIT_HELP: CommandHelp = {
  summary: 'read the audit trail, newest first',
  description: `Reads the audit trail: one record per decision the guard took and recorded (remediated,
would-remediate, exempt, blocked, failed, ...), newest first. A sweep's unchanged compliant
check leaves no record, only the cluster's "last checked" marker and the sweep summary (see
report). Filters: --cluster takes a name or a glob (* and ?), --since and --until a duration back
from now (30m, 12h, 7d, 2w) or an ISO date or date-time (default since 7d; until is exclusive,
default now), --actor a piece of the actor's ARN, --outcome one outcome (repeat it for several),
--changes-only keeps remediated, would-remediate, blocked, exempt and failed. The table shows time,
cluster, outcome, what triggered the check (event and actor), the endpoint change and the reason;
--json prints the full records, --csv a header row and one row per record with the event time,
source IP, user agent, correlation id, policy digest, update id and the update's final status
(spreadsheet formulas neutralised). Needs only AUDIT_TABLE_NAME and AWS_REGION.`,
  examples: [
    'npm run cli -- audit',
    'npm run cli -- audit --cluster "prod-*" --since 30d --changes-only',
    'npm run cli -- audit --since 2026-11-01 --until 2026-12-01 --outcome remediated --outcome failed --csv > november.csv',
    'npm run cli -- audit --actor PlatformAdmin/jdoe --json',
  ],
};

export const AUDIT_DIGEST_HELP: CommandHelp = {
  summary: 'seal the audit records written since the last digest into a new digest',
  description: `Seals every audit record (decisions and sweep summaries) written since the last digest into a
new digest in the digest bucket, as CloudTrail seals its log files: the hash of each record, the
hash of the previous digest and the time range. The scheduled sweep runs the same code every
time it runs; this command is for a person who wants the newest records sealed now. Records of
the last 15 minutes are left to the next run (a decision may still be writing them). The bucket
keeps each digest under Object Lock in compliance mode: nobody can change or delete it before
its retention ends. Needs AUDIT_TABLE_NAME, AWS_REGION and DIGEST_BUCKET_NAME (--stack sets them).`,
  examples: ['npm run cli -- audit digest --stack EksEndpointGuard --region eu-west-1'],
};

export const AUDIT_VERIFY_HELP: CommandHelp = {
  summary: 'check every sealed record against its digest; exit 1 on any change',
  description: `Recomputes the digest chain and the hash of every sealed record, and reports each record
changed, deleted or inserted after it was sealed (naming cluster and time), and each digest that
was rewritten (a second version under its key), deleted, is missing or is out of order. Every
version of every digest is read, so that a new version written by someone with s3:PutObject
shows as a fork. Records written after the last digest are listed as not sealed yet, which is
not a failure. Exit 0 when all is intact, 1 otherwise. --since checks only the digests whose
range ends after it. Needs AUDIT_TABLE_NAME, AWS_REGION and DIGEST_BUCKET_NAME (--stack sets them).`,
  examples: [
    'npm run cli -- audit verify --stack EksEndpointGuard --region eu-west-1',
    'npm run cli -- audit verify --since 30d --json',
  ],
};

export const REPORT_HELP: CommandHelp = {
  summary: "the auditor's report: exposure per cluster and proof of continuous checking",
  description: `Answers "how exposed were we" for a period, from the audit table: per cluster, the exposure
windows (from the violating change, the CloudTrail event time when known, else the first record
that saw it, until the guard's update was Successful, or still open), total exposure, time to
remediate (p50/p95), who caused each violation, exemptions in force and blocked clusters still
exposed; for the account, clusters guarded, windows opened and closed, the sweeps that ran with
any gap longer than twice --sweep-interval flagged, and the policy digests in force. The period
is --month YYYY-MM or --since/--until (a duration back from now or an ISO date or time; --until
is exclusive, default now; --since defaults to 30d). --cluster takes a name or glob, --account
an account id. The report names the account(s), region(s), the guard's version and stack, and,
with DIGEST_BUCKET_NAME, whether its records verified against their digests; it maps its figures
to FSBP EKS.1, CIS EKS 5.4.1/5.4.2, PCI DSS 1.4, NIST SC-7 and ISO 27001 A.8.20/A.8.22. Time to
remediate counts only time after the guard's first record in the account-region. --format is html
(one self-contained printable file with a fleet chart), pdf (the HTML printed through Chromium,
with --out), md, csv (one row per window) or json; --out writes a file (its extension picks the
format when --format is not given). Needs AUDIT_TABLE_NAME and AWS_REGION.`,
  examples: [
    'npm run cli -- report --month 2026-11 --format html --out exposure-2026-11.html',
    'npm run cli -- report --since 7d',
    'npm run cli -- report --since 2026-11-01 --until 2026-11-15 --cluster "prod-*" --format json',
    'npm run cli -- report --month 2026-11 --format csv --sweep-interval 30m > windows.csv',
    'npm run cli -- report --month 2026-11 --stack EksEndpointGuard --region eu-west-1 --out exposure.pdf',
  ],
};

export const LOCAL_ENV_HELP: CommandHelp = {
  summary: 'create what the guard needs in a local emulator and print its environment',
  description: `Sets up a local AWS emulator for the guard: creates, where missing, the policy parameter
(holding the default policy unless the parameter exists), the alert topic
eks-endpoint-guard-alerts, the re-check queue eks-endpoint-guard-recheck, the audit table
eks-endpoint-guard-audit and the digest bucket eks-endpoint-guard-digests (Object Lock, compliance
mode, one day), then prints the environment values the guard reads as
"export NAME=value" lines, or one JSON object with --json. Refuses to run unless
AWS_ENDPOINT_URL points to a loopback address: this command is for emulators only. --region
chooses the region of the resources, --stack reads the names from a stack's outputs, and
--profile is accepted like everywhere else (the emulator is always sent dummy credentials).`,
  examples: [
    'moto_server -H 127.0.0.1 -p 5000 &',
    'export AWS_ENDPOINT_URL=http://127.0.0.1:5000 AWS_REGION=us-east-1',
    'eval "$(npm run --silent cli -- local-env)"',
    'npm run cli -- local-env --json',
  ],
};

export const DEMO_HELP: CommandHelp = {
  summary: 'play the whole story against a local emulator',
  description: `Starts a local AWS emulator (moto_server) on a free loopback port, sets it up with local-env,
creates five clusters in two VPCs (one of them without DNS hostnames) and a demo policy, then
plays the sample events, stamped with the time of the run and the emulator's account, through
the same code the Lambda runs and tells what happened: each decision with the endpoint change,
the alert as a subscriber receives it, a sweep report and the audit trail; it seals the trail
into a digest and verifies it, and ends by writing the HTML report of what it did (as "report
--format html" writes it) to eks-endpoint-guard-demo-report.html in the current directory (--out
to choose the file), printing its path and the commands to try it yourself. Stops the emulator
at the end (also on Ctrl-C). Needs moto_server on PATH; touches no real AWS account.`,
  examples: ['npm run demo', 'npm run cli -- demo --verbose', 'npm run cli -- demo --out /tmp/demo.html'],
};

export const POLICY_HELP: CommandHelp = {
  summary: 'validate, preview, publish, show the policy, or turn it into an SCP',
  description: `The policy's lifecycle: validate a file offline, see what it would change on every cluster
(what-if), publish it to the parameter with a confirmation, show the live one with who changed
it last, and render the service control policy that prevents what the guard would revert.`,
  examples: [
    'npm run cli -- policy validate policies/*.json --strict',
    'npm run cli -- policy what-if my-policy.json',
    'npm run cli -- policy publish my-policy.json',
    'npm run cli -- policy show',
    'npm run cli -- policy scp my-policy.json --json > scp.json',
  ],
};

export const POLICY_VALIDATE_HELP: CommandHelp = {
  summary: 'check policy files offline: every error and lint warning',
  description: `Checks policy files offline (no AWS call) and reports every problem, not the first:
JSON syntax errors and schema errors as FILE:LINE:COLUMN with the field path, and warnings
about a policy that is valid but probably wrong: an exemption expired or ending within 14 days,
an override shadowed by an earlier one or changing nothing, "restricted" to 0.0.0.0/0 or ::/0,
private or shared ranges in allowedPublicCidrs, CIDRs where publicAccess is not "restricted",
duplicate or nested CIDRs, duplicate keys. "-" reads standard input. Exit code 0 when every file
is valid, 1 when one is not (with --strict, also when there are warnings).`,
  examples: [
    'npm run cli -- policy validate my-policy.json',
    'npm run cli -- policy validate docs/examples/*.json --strict',
    'cat my-policy.json | npm run cli -- policy validate - --json',
  ],
};

export const POLICY_WHAT_IF_HELP: CommandHelp = {
  summary: 'preview a policy: the clusters it would decide differently',
  description: `Decides every cluster of the account and region twice, report-only, under the live policy
and under the candidate file, and prints only the clusters whose decision differs: the outcome
now → with the candidate, and the change the guard would make. Changes, alerts, queues and
records nothing. --json prints { changes: [{ cluster, region, now: { outcome, reason },
candidate: { outcome, reason, after } }], clusters }. Needs POLICY_PARAMETER_NAME and AWS_REGION.
Exit code 0, or 1 on an error (an invalid candidate included).`,
  examples: [
    'npm run cli -- policy what-if my-policy.json',
    'npm run cli -- policy what-if my-policy.json --json',
  ],
};

export const POLICY_PUBLISH_HELP: CommandHelp = {
  summary: 'validate, preview, confirm and write the policy parameter',
  description: `Validates the file (an invalid one is refused), shows the what-if, asks for confirmation on a
terminal (--yes skips it; without a terminal and without --yes it refuses), then writes the
parameter in one PutParameter call (String, overwrite, its tier kept) and prints the new
version. Refuses to write when the parameter changed since it was previewed. Exit code 0, or 1.`,
  examples: [
    'npm run cli -- policy publish my-policy.json',
    'npm run cli -- policy publish my-policy.json --yes',
  ],
};

export const POLICY_SHOW_HELP: CommandHelp = {
  summary: 'the live policy, its version, who changed it last, its rules in words',
  description: `Prints the live policy parameter: its version, when it was last changed and by whom (from
the parameter history), the rules in plain words, any warnings, and the policy itself. Needs
POLICY_PARAMETER_NAME (or the default) and AWS_REGION. Exit code 0, or 1 when the parameter is
missing or holds an invalid policy.`,
  examples: ['npm run cli -- policy show', 'npm run cli -- policy show --json'],
};

export const POLICY_SCP_HELP: CommandHelp = {
  summary: 'render the AWS Organizations SCP that prevents what the guard would revert',
  description: `Renders a service control policy from a policy file with the EKS condition keys
eks:endpointPublicAccess and eks:endpointPrivateAccess: "disabled" refuses turning the public
endpoint on, privateAccess "required" refuses turning the private one off (a CreateCluster that
leaves them to the EKS defaults included; an UpdateClusterConfig that changes only logging is
never refused); overrides and exemptions become cluster ARN exceptions; the guard's role
(--guard-role, else GUARD_ROLE_ARN) and --break-glass-role are exempt. Says what it cannot
prevent (publicAccessCidrs, tag exemptions, ...), which stays remediation-only. --json prints
the SCP alone. Offline. Exit code 0, or 1 (invalid policy, nothing to refuse, over 5,120 characters).
With --protect-guard instead of a file: the SCP that keeps a member account's administrators
from disabling the guard (its rule, function, queues, role, records, alerts, Security Hub
import), for the names deployed by a stack of its own or, with --organization, by the StackSet;
only --deployer-role (default: the CDK bootstrap roles, or stacksets-exec-*) may change it.`,
  examples: [
    'npm run cli -- policy scp my-policy.json',
    'npm run cli -- policy scp my-policy.json --break-glass-role arn:aws:iam::123456789012:role/BreakGlass --json > scp.json',
    'npm run cli -- policy scp --protect-guard --organization --json > protect-guard.json',
  ],
};

/** Shown after the program's help. */
export const EXIT_CODES_TEXT = `
Exit codes:
  0  success, nothing non-compliant
  1  a clear error (one line on stderr): bad arguments or input, environment, AWS
  3  check found a cluster non-compliant (would-remediate, blocked, deferred within a grace
     period) or a decision failed (--exit-zero turns 3 into 0)
`;

export function examplesText(help: CommandHelp): string {
  return `\nExamples:\n${help.examples.map((e) => `  $ ${e}`).join('\n')}\n`;
}
