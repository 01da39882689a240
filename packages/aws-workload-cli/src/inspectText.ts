import { inspect, Inspection, InspectOptions } from './inspect';
import {
  parseDocuments,
  SkippedFileError,
  UnreadableInputError,
} from './inputs/parseDocuments';
import { translateDocuments } from './sources';

/** One text to inspect, as `aws-workload inspect -` reads standard input. */
export interface InspectTextOptions extends InspectOptions {
  /** The manifests: Kubernetes YAML or JSON, eksctl, CloudFormation, or Terraform with `file` ending in `.tf`. */
  text: string;
  /** What the findings call the text (`-` when not given). */
  file?: string;
}

/**
 * The inspector on one text instead of files: what `aws-workload inspect`
 * answers, for callers that hold the manifests in memory (the backend's
 * action for AI assistants). A text that does not parse throws
 * {@link UnreadableInputError}; a Go template is skipped, with why.
 */
export async function inspectManifestText(
  options: InspectTextOptions,
): Promise<Inspection> {
  const file = options.file ?? '-';
  try {
    const documents = await parseDocuments(file, options.text);
    return inspect(translateDocuments(documents), options);
  } catch (error) {
    if (error instanceof SkippedFileError) {
      return {
        workloads: [],
        skipped: [{ file, reason: error.reason }],
        notes: [],
      };
    }
    throw error;
  }
}

export { UnreadableInputError };
