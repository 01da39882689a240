import { emptyInputs, InputDocument, InspectionInputs } from '../types';
import {
  isCloudFormationTemplate,
  translateCloudFormation,
} from './cloudFormation';
import { isEksctlClusterConfig, translateEksctl } from './eksctl';
import { isKubernetesObject, translateKubernetes } from './kubernetesManifests';
import { translateTerraform } from './terraform';

/**
 * Every form the inputs come in (Kubernetes YAML or JSON, kubectl Lists,
 * eksctl ClusterConfig, Terraform, synthesized CloudFormation) translated
 * into one model the classifier reads.
 */
export function translateDocuments(
  documents: InputDocument[],
): InspectionInputs {
  const into = emptyInputs();
  translateTerraform(
    documents.filter(d => d.format === 'terraform'),
    into,
  );
  for (const doc of documents) {
    if (doc.format === 'terraform') continue;
    if (isCloudFormationTemplate(doc.object))
      translateCloudFormation(doc, into);
    else if (isEksctlClusterConfig(doc.object)) translateEksctl(doc, into);
    else if (
      isKubernetesObject(doc.object) ||
      Array.isArray(doc.object?.items)
    ) {
      translateKubernetes(doc, into);
    } else {
      into.skipped.push({
        file: doc.file,
        document: doc.document,
        line: doc.line,
        reason:
          'not a Kubernetes object, an eksctl ClusterConfig or a CloudFormation template',
      });
    }
  }
  return into;
}
