import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledge } from '../constructs/acknowledge.ts';
import { asInterface } from '../constructs/as-interface.ts';
import { webHeadersPolicy } from '../constructs/web-headers.ts';

/**
 * Hosting for the help-desk web app: a private bucket behind CloudFront with origin access
 * control (the bucket admits only this distribution's signed requests). The files themselves are
 * published by the API stack, because `config.js` carries the API's URL and the web key, and the
 * API in turn needs this distribution's origin for CORS: hosting → API → publication.
 */
export class WebStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** `https://dxxxx.cloudfront.net`: the only origin the API answers browsers from. */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    this.bucket = new s3.Bucket(this, 'Site', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudFront's standard logs are written with ACLs, which the other buckets disable.
    const logs = new s3.Bucket(this, 'CdnLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.bucket, ['AwsSolutions-S1'], 'Every request reaches the bucket through CloudFront, whose access logs record it.');
    acknowledge(logs, ['AwsSolutions-S1'], 'This is the CloudFront log bucket: logging its own access would loop.');

    this.distribution = new cloudfront.Distribution(this, 'Cdn', {
      comment: 'runbook-kb web app',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(asInterface<s3.IBucket>(this.bucket)),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: webHeadersPolicy(this, 'Headers'),
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: asInterface<s3.IBucket>(logs),
      logFilePrefix: 'cdn/',
    });
    acknowledge(
      this.distribution,
      ['AwsSolutions-CFR4'],
      'The default *.cloudfront.net certificate allows TLS 1.0 viewers; a custom domain with an ACM certificate and a TLS 1.2 minimum removes this.',
    );
    acknowledge(this.distribution, ['AwsSolutions-CFR1'], 'Help desks work from many countries; no geo restriction.');
    acknowledge(
      this.distribution,
      ['AwsSolutions-CFR2'],
      'No WAF by default (about $5/month plus rules); static files only, the API has its own keys and throttling.',
    );
    this.origin = `https://${this.distribution.distributionDomainName}`;

    new CfnOutput(this, 'WebUrl', { value: this.origin, description: 'The help-desk web app' });
  }
}
