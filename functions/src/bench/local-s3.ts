import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

export interface LocalS3 {
  /** Its URL, for AWS_ENDPOINT_URL_S3. */
  endpoint: string;
  /** A client for it (path-style, s3rver's fixed credentials). */
  s3: S3Client;
  close(): Promise<void>;
}

/** The S3 API served locally by s3rver (the bench and the tests), with `buckets` created, its files in a temp folder removed on close. */
export async function startLocalS3(buckets: readonly string[], region = 'eu-west-1'): Promise<LocalS3> {
  const folder = mkdtempSync(join(tmpdir(), 'kb-s3rver-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: folder,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const { port } = (await server.run()) as { port: number };
  // Node closes an idle kept-alive connection after 5 s, and the SDK client reuses its pooled ones:
  // a request sent as the server closes its socket dies with ECONNRESET (seen after the model's
  // embedding kept a test's client idle for about 5 s on a busy machine). S3 keeps them far longer.
  const http = (server as unknown as { httpServer: { keepAliveTimeout: number } }).httpServer;
  http.keepAliveTimeout = 120_000;
  const endpoint = `http://127.0.0.1:${port}`;
  const s3 = new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return {
    endpoint,
    s3,
    close: async () => {
      s3.destroy();
      await server.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
