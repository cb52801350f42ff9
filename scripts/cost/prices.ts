/**
 * List prices, US East (N. Virginia), USD, before free tiers (which are per account and would
 * hide the per-region figure). Checked 2026-12-01 on the AWS pricing pages named in `source`.
 */
export const PRICES = {
  kmsKeyMonth: { usd: 1.0, source: 'https://aws.amazon.com/kms/pricing/ (customer managed key, per month)' },
  alarmMetricMonth: {
    usd: 0.1,
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (standard-resolution alarm, per metric in it)',
  },
  dashboardMonth: {
    usd: 3.0,
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (custom dashboard, per month)',
  },
  customMetricMonth: {
    usd: 0.3,
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (first 10,000 metrics)',
  },
  lambdaRequest: { usd: 0.2 / 1e6, source: 'https://aws.amazon.com/lambda/pricing/ (requests)' },
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    source: 'https://aws.amazon.com/lambda/pricing/ (Arm, first 7.5B GB-s)',
  },
  dynamoWriteUnit: {
    usd: 0.625 / 1e6,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ (write request unit, since 2024-11)',
  },
  eventBridgeCustomEvent: {
    usd: 1.0 / 1e6,
    source:
      'https://aws.amazon.com/eventbridge/pricing/ (custom events published, cross-account PutEvents included)',
  },
  sqsRequest: { usd: 0.4 / 1e6, source: 'https://aws.amazon.com/sqs/pricing/ (standard queue requests)' },
  logsIngestGb: {
    usd: 0.5,
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (logs ingestion, standard class)',
  },
  xrayTrace: { usd: 5.0 / 1e6, source: 'https://aws.amazon.com/xray/pricing/ (traces recorded)' },
  s3PutRequest: {
    usd: 0.005 / 1000,
    source: 'https://aws.amazon.com/s3/pricing/ (S3 Standard PUT, COPY, POST, LIST requests)',
  },
  s3StorageGbMonth: {
    usd: 0.023,
    source: 'https://aws.amazon.com/s3/pricing/ (S3 Standard storage, first 50 TB)',
  },
  dynamoReadUnit: {
    usd: 0.125 / 1e6,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ (read request unit, since 2024-11)',
  },
  kmsRequest: {
    usd: 0.03 / 1e4,
    source: 'https://aws.amazon.com/kms/pricing/ (requests, GenerateMac and VerifyMac included)',
  },
  ssmAdvancedParameterMonth: {
    usd: 0.05,
    source: 'https://aws.amazon.com/systems-manager/pricing/ (advanced parameter storage)',
  },
} as const;
