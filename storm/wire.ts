/**
 * What each AWS service sends back when it throttles or fails, byte for byte as its protocol has
 * it, so the SDK in the guard parses, classifies and retries it as it would the real answer.
 * Shapes and status codes follow the SDK's own service models (the `httpError` and
 * `awsQueryError` traits in @aws-sdk/client-*) and the services' API references:
 * - REST-JSON (EKS, Security Hub, Lambda): the code in `x-amzn-errortype`, the message in the body;
 * - JSON 1.0/1.1 (DynamoDB, SQS, SSM, EventBridge, CloudWatch Logs, CloudTrail): `__type` in the
 *   body; SQS, being query-compatible, also names its query code in `x-amzn-query-error`;
 * - query XML (SNS, STS): `<ErrorResponse><Error><Code>`; EC2: `<Response><Errors><Error><Code>`;
 * - S3: `<Error><Code>`.
 */
export interface WireAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

type Protocol = 'rest-json' | 'json-1.0' | 'json-1.1' | 'query' | 'ec2' | 's3';

interface ServiceErrors {
  protocol: Protocol;
  /** The JSON `__type` namespace, where the service uses one. */
  namespace?: string;
  /** `sdkName`: the SDK's name for the error when the wire code differs (SNS's `Throttled`). */
  throttle: { status: number; code: string; message: string; queryCode?: string; sdkName?: string };
  server: { status: number; code: string; message: string };
}

export const SERVICE_ERRORS: Record<string, ServiceErrors> = {
  eks: {
    protocol: 'rest-json',
    throttle: { status: 429, code: 'ThrottlingException', message: 'Rate exceeded' },
    server: { status: 500, code: 'ServerException', message: 'An internal error occurred' },
  },
  securityhub: {
    protocol: 'rest-json',
    throttle: { status: 429, code: 'ThrottlingException', message: 'Rate exceeded' },
    server: { status: 500, code: 'InternalException', message: 'Internal service error' },
  },
  lambda: {
    protocol: 'rest-json',
    throttle: { status: 429, code: 'TooManyRequestsException', message: 'Rate Exceeded.' },
    server: { status: 500, code: 'ServiceException', message: 'Internal service error' },
  },
  sns: {
    protocol: 'query',
    throttle: { status: 429, code: 'Throttled', message: 'Rate exceeded', sdkName: 'ThrottledException' },
    server: { status: 500, code: 'InternalError', message: 'Internal service error' },
  },
  sts: {
    protocol: 'query',
    throttle: { status: 400, code: 'Throttling', message: 'Rate exceeded' },
    server: { status: 500, code: 'InternalFailure', message: 'Internal service error' },
  },
  dynamodb: {
    protocol: 'json-1.0',
    namespace: 'com.amazonaws.dynamodb.v20120810',
    throttle: {
      status: 400,
      code: 'ProvisionedThroughputExceededException',
      message:
        'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
    },
    server: { status: 500, code: 'InternalServerError', message: 'Internal server error' },
  },
  sqs: {
    protocol: 'json-1.0',
    namespace: 'com.amazonaws.sqs',
    // The SQS model gives RequestThrottled HTTP 403 (awsQueryError `RequestThrottled`, 403).
    throttle: {
      status: 403,
      code: 'RequestThrottled',
      message: 'Request is throttled.',
      queryCode: 'RequestThrottled;Sender',
    },
    server: {
      status: 500,
      code: 'InternalError',
      message: 'We encountered an internal error. Please try again.',
    },
  },
  ssm: {
    protocol: 'json-1.1',
    throttle: { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' },
    server: { status: 500, code: 'InternalServerError', message: 'Internal server error' },
  },
  events: {
    protocol: 'json-1.1',
    throttle: { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' },
    server: { status: 500, code: 'InternalException', message: 'Internal service error' },
  },
  logs: {
    protocol: 'json-1.1',
    throttle: { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' },
    server: { status: 500, code: 'ServiceUnavailableException', message: 'Service unavailable' },
  },
  cloudtrail: {
    protocol: 'json-1.1',
    throttle: { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' },
    server: { status: 500, code: 'InternalServerError', message: 'Internal server error' },
  },
  ec2: {
    protocol: 'ec2',
    throttle: { status: 503, code: 'RequestLimitExceeded', message: 'Request limit exceeded.' },
    server: { status: 500, code: 'InternalError', message: 'An internal error has occurred' },
  },
  s3: {
    protocol: 's3',
    throttle: { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
    server: {
      status: 500,
      code: 'InternalError',
      message: 'We encountered an internal error. Please try again.',
    },
  },
};

/** The service's throttling answer, or undefined for a service the storm does not know. */
export function throttleAnswer(service: string, requestId: string): WireAnswer | undefined {
  const errors = SERVICE_ERRORS[service];
  if (!errors) return undefined;
  const { status, code, message, queryCode } = errors.throttle;
  return errorAnswer(errors, status, code, message, requestId, queryCode);
}

/** The service's internal-error answer (HTTP 5xx). */
export function serverErrorAnswer(service: string, requestId: string): WireAnswer | undefined {
  const errors = SERVICE_ERRORS[service];
  if (!errors) return undefined;
  const { status, code, message } = errors.server;
  return errorAnswer(
    errors,
    status,
    code,
    message,
    requestId,
    errors.protocol === 'json-1.0' && errors.namespace === 'com.amazonaws.sqs'
      ? `${code};Receiver`
      : undefined,
  );
}

/** An EKS (REST-JSON) error such as ResourceInUseException (409) or InvalidParameterException (400). */
export function eksError(
  status: number,
  code: string,
  message: string,
  requestId: string,
  clusterName?: string,
): WireAnswer {
  return restJson(status, code, { message, ...(clusterName ? { clusterName } : {}) }, requestId);
}

function errorAnswer(
  errors: ServiceErrors,
  status: number,
  code: string,
  message: string,
  requestId: string,
  queryCode?: string,
): WireAnswer {
  switch (errors.protocol) {
    case 'rest-json':
      return restJson(status, code, { message }, requestId);
    case 'json-1.0':
    case 'json-1.1': {
      const type = errors.namespace ? `${errors.namespace}#${code}` : code;
      return {
        status,
        headers: {
          'content-type': `application/x-amz-json-${errors.protocol === 'json-1.0' ? '1.0' : '1.1'}`,
          'x-amzn-requestid': requestId,
          ...(queryCode ? { 'x-amzn-query-error': queryCode } : {}),
        },
        body: JSON.stringify({ __type: type, message }),
      };
    }
    case 'query':
      return xml(
        status,
        `<ErrorResponse><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        requestId,
      );
    case 'ec2':
      return xml(
        status,
        `<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
        requestId,
      );
    case 's3':
      return xml(
        status,
        `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId><HostId>storm</HostId></Error>`,
        requestId,
      );
  }
}

function restJson(
  status: number,
  code: string,
  body: Record<string, unknown>,
  requestId: string,
): WireAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': code, 'x-amzn-requestid': requestId },
    body: JSON.stringify(body),
  };
}

function xml(status: number, body: string, requestId: string): WireAnswer {
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
  };
}
