import {
  FargateSelector,
  KubernetesObject,
  OfflineRole,
  PodIdentityAssociation,
} from '@aws-workload/plugin-aws-workload-common';

/** Where something was read: a file (or `-` for standard input), a document of it, a line. */
export interface SourceLocation {
  file: string;
  /** 0-based index of the YAML document in the file. */
  document?: number;
  /** 1-based line of the object, where the format has lines (YAML, JSON). */
  line?: number;
}

/** One parsed document of an input, with where it came from. */
export interface InputDocument extends SourceLocation {
  format: 'yaml' | 'terraform';
  object: any;
  /** The line of each item of a `List` document, in order. */
  itemLines?: number[];
  /** A namespace that overrides the objects' own (an unrendered kustomization's). */
  namespaceOverride?: string;
}

/** A Kubernetes object found among the inputs, in whatever form it came. */
export interface LocatedObject {
  object: KubernetesObject & { data?: any; stringData?: any };
  location: SourceLocation;
  namespaceOverride?: string;
}

/** An object or file that was read but not classified, and why. */
export interface SkippedInput extends SourceLocation {
  kind?: string;
  name?: string;
  reason: string;
}

/** Everything the inputs say, translated from their forms into one model. */
export interface InspectionInputs {
  objects: LocatedObject[];
  associations: PodIdentityAssociation[];
  fargateSelectors: FargateSelector[];
  /** IAM roles defined among the inputs, by the string that refers to them. */
  roles: Map<string, OfflineRole>;
  skipped: SkippedInput[];
  notes: string[];
}

export const emptyInputs = (): InspectionInputs => ({
  objects: [],
  associations: [],
  fargateSelectors: [],
  roles: new Map(),
  skipped: [],
  notes: [],
});
