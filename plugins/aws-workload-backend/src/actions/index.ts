export { registerGetEntityAwsPostureAction } from './getEntityAwsPosture';
export { registerListAwsFleetAction } from './listAwsFleet';
export { registerInspectKubernetesManifestsAction } from './inspectKubernetesManifests';
