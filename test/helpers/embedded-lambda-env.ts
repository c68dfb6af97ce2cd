/**
 * The settings CDK gives both functions with `-c search=embedded`, pointing at the local S3 and
 * DynamoDB APIs: what the serverless suites put in process.env before importing the handlers.
 */
export function embeddedLambdaEnv(settings: {
  s3Endpoint: string;
  dynamoEndpoint: string;
  table: string;
  contentBucket: string;
  indexBucket: string;
  refreshSeconds: number;
  clients: unknown[];
}): Record<string, string> {
  return {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_DYNAMODB: settings.dynamoEndpoint,
    AWS_ENDPOINT_URL_S3: settings.s3Endpoint,
    AWS_MAX_ATTEMPTS: '1',
    KB_SEARCH_ENGINE: 'embedded',
    KB_INDEX_BUCKET: settings.indexBucket,
    KB_INDEX_REFRESH_SECONDS: String(settings.refreshSeconds),
    KB_TABLE: settings.table,
    KB_CONTENT_BUCKET: settings.contentBucket,
    KB_API_CLIENTS: JSON.stringify(settings.clients),
    KB_WEB_ORIGIN: 'https://d111111abcdef8.cloudfront.net',
  };
}
