// Powertools needs these outside Lambda; dummy credentials keep the SDK away from any real account.
process.env.POWERTOOLS_SERVICE_NAME ??= 'eks-endpoint-guard';
process.env.POWERTOOLS_METRICS_NAMESPACE ??= 'EksEndpointGuard';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_DEV ??= 'false';
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'testing';
process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
// Safety net: a call that escapes its SDK mock fails fast on a closed loopback port, never reaching AWS.
process.env.AWS_ENDPOINT_URL ??= 'http://127.0.0.1:9';
