import {
  classifyWorkload,
  WorkloadClassification,
  WorkloadInput,
} from '@aws-workload/plugin-aws-workload-common';
import { WorkloadFacts } from '../facts/EntityFacts';

const classified = new WeakMap<
  WorkloadInput,
  { context: WorkloadFacts['context']; classification: WorkloadClassification }
>();

/**
 * How a workload's pods get credentials. The classifier is pure and facts
 * are never changed once read, so one answer per workload object serves the
 * collector (which plans its credential reads on it) and the assessment: a
 * fleet of a thousand entities is classified once, not three times.
 */
export function classifyWorkloadFacts(
  workload: WorkloadFacts,
): WorkloadClassification {
  const known = classified.get(workload.input);
  if (known && known.context === workload.context) return known.classification;
  const classification = classifyWorkload(workload.input, workload.context);
  classified.set(workload.input, { context: workload.context, classification });
  return classification;
}
