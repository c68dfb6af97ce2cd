export { type LocalS3, startLocalS3 } from '../../functions/src/bench/local-s3.ts';
