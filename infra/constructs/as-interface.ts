import type { IConstruct } from 'constructs';

/**
 * Views a construct as one of its own interfaces (Bucket as IBucket, Vpc as IVpc…). Needed only
 * because aws-cdk-lib declares some optional interface members (`IBucket.isWebsite?`) as getters
 * returning `T | undefined` in its classes, which `exactOptionalPropertyTypes` (on in this repo)
 * refuses to assign. The cast is sound: the class implements the interface.
 */
export function asInterface<I>(construct: IConstruct): I {
  return construct as unknown as I;
}
