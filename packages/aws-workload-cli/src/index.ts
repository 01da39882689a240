/**
 * The aws-workload command line: `aws-workload inspect`, the entity page's
 * credential classifier run offline on manifests, as a CI gate.
 *
 * @packageDocumentation
 */
export { main } from './main';
export type { CliIo } from './main';
export { inspectManifestText, UnreadableInputError } from './inspectText';
export type { InspectTextOptions } from './inspectText';
export type { Inspection, InspectedWorkload, InspectOptions } from './inspect';
export type { SkippedInput, SourceLocation } from './types';
