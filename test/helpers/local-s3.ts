import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { sourcesIn } from './runbooks.ts';

export { type LocalS3, startLocalS3 } from '../../functions/src/bench/local-s3.ts';

/** Puts every runbook of a content folder (its Markdown, the folder's README.md aside) into a bucket, as a push of the content repository would. */
export async function uploadRunbooks(s3: S3Client, bucket: string, root: string): Promise<void> {
  for (const file of sourcesIn(root)) {
    if (file.path !== 'README.md') await s3.send(new PutObjectCommand({ Bucket: bucket, Key: file.path, Body: file.bytes }));
  }
}
