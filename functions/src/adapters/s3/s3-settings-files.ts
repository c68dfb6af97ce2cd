import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { isMissing, type S3Send } from './s3-content-source.ts';

/**
 * Settings the content indexer derives from the library for the API, as JSON objects under a
 * prefix of the index bucket (the content bucket is the authors': its notifications would call
 * the indexer for them, and its sync from git would delete them).
 */
export class S3SettingsFiles {
  constructor(
    private readonly s3: S3Send,
    private readonly bucket: string,
    private readonly prefix = 'settings/',
  ) {}

  /** The file's bytes; undefined when it was never written. */
  async readOptional(name: string): Promise<Uint8Array | undefined> {
    try {
      const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + name }));
      return Body ? await Body.transformToByteArray() : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async write(name: string, text: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.prefix + name, Body: text, ContentType: 'application/json' }));
  }
}
