import {
  findPodTemplate,
  IRSA_ROLE_ARN_ANNOTATION,
  KeySource,
  KubernetesObject,
  scanPodSpec,
  STATIC_KEY_ENV_NAMES,
} from '@aws-workload/plugin-aws-workload-common';
import { InputError } from '@backstage/errors';
import path from 'node:path';
import yaml from 'yaml';
import type { RepositoryFiles } from './infrastructure';

/** The workload to fix and how its pods should get AWS credentials. */
export interface ManifestTarget {
  workload: string;
  namespace: string;
  credentials: 'irsa' | 'pod-identity';
  /** The role the ServiceAccount names under IRSA. */
  roleArn: string;
}

/** The IRSA annotations of a ServiceAccount: Pod Identity needs none of them. */
const IRSA_ANNOTATIONS = [
  IRSA_ROLE_ARN_ANNOTATION,
  'eks.amazonaws.com/audience',
  'eks.amazonaws.com/sts-regional-endpoints',
  'eks.amazonaws.com/token-expiration',
];

interface ManifestFile {
  path: string;
  docs: yaml.Document[];
  changed: boolean;
}

interface Found {
  file: ManifestFile;
  doc: yaml.Document;
  object: KubernetesObject;
}

type Path = (string | number)[];

const isManifest = (file: string) =>
  /\.ya?ml$/.test(file) &&
  !file.startsWith('.github/') &&
  !file.startsWith('infra/') &&
  !path.posix.basename(file).startsWith('kustomization.');

function parseManifests(files: RepositoryFiles): ManifestFile[] {
  return [...files]
    .filter(([file]) => isManifest(file))
    .map(([file, content]) => ({
      path: file,
      docs: yaml.parseAllDocuments(content) as yaml.Document[],
      changed: false,
    }))
    .filter(f => f.docs.every(d => d.errors.length === 0));
}

function objectsOf(manifests: ManifestFile[]): Found[] {
  return manifests.flatMap(file =>
    file.docs.map(doc => ({
      file,
      doc,
      object: (doc.toJS() ?? {}) as KubernetesObject,
    })),
  );
}

const inNamespace = (object: KubernetesObject, namespace: string) =>
  (object.metadata?.namespace ?? namespace) === namespace;

/** A workload: anything but a bare Pod that has a pod template. */
const isWorkload = (object: KubernetesObject) =>
  object.kind !== 'Pod' && findPodTemplate(object) !== undefined;

function find(
  objects: Found[],
  kind: string | ((object: KubernetesObject) => boolean),
  name: string,
  namespace: string,
): Found | undefined {
  const matches =
    typeof kind === 'string' ? (o: KubernetesObject) => o.kind === kind : kind;
  return objects.find(
    o =>
      matches(o.object) &&
      o.object.metadata?.name === name &&
      inNamespace(o.object, namespace),
  );
}

/** Paths of the workload's containers in its document. */
function containerPaths(found: Found): Path[] {
  const location = findPodTemplate(found.object)!;
  if (location.path === 'spec (one container)') return [['spec']];
  const spec = location.path.split('.');
  const pod = location.template.spec;
  return (['initContainers', 'containers'] as const).flatMap(list =>
    (pod?.[list] ?? []).map((_, i) => [...spec, list, i]),
  );
}

function keysOf(object: KubernetesObject): string[] {
  const o = object as Record<string, any>;
  return [
    ...Object.keys(o.data ?? {}),
    ...Object.keys(o.stringData ?? {}),
    ...Object.keys(o.binaryData ?? {}),
  ];
}

const isKeyName = (key: string) => STATIC_KEY_ENV_NAMES.includes(key);

/** Drops an item of a list in a document, and the list when it is left empty. */
function deleteItem(doc: yaml.Document, list: Path, index: number) {
  doc.deleteIn([...list, index]);
  const left = doc.getIn(list) as yaml.YAMLSeq | undefined;
  if (!left || left.items.length === 0) doc.deleteIn(list);
}

interface Removed {
  sources: Set<string>;
  notes: string[];
}

/** Takes the key variables out of a container's `env`; notes the objects they came from. */
function removeKeyEnv(found: Found, container: Path, removed: Removed) {
  const env: any[] =
    (found.doc.getIn([...container, 'env']) as yaml.YAMLSeq)?.toJSON() ?? [];
  for (let i = env.length - 1; i >= 0; i--) {
    if (!isKeyName(env[i]?.name)) continue;
    const ref =
      env[i].valueFrom?.secretKeyRef ?? env[i].valueFrom?.configMapKeyRef;
    if (ref?.name) {
      const kind = env[i].valueFrom.secretKeyRef ? 'Secret' : 'ConfigMap';
      removed.sources.add(`${kind}/${ref.name}`);
    }
    deleteItem(found.doc, [...container, 'env'], i);
    removed.notes.push(
      `${found.file.path}: removed ${
        env[i].name
      } from container ${found.doc.getIn([...container, 'name'])}`,
    );
  }
}

/**
 * Drops `envFrom` entries whose object holds nothing but keys; an object
 * with other values keeps its entry and loses its keys instead.
 */
function removeKeyEnvFrom(
  found: Found,
  container: Path,
  objects: Found[],
  namespace: string,
  removed: Removed,
) {
  const envFrom: any[] =
    (found.doc.getIn([...container, 'envFrom']) as yaml.YAMLSeq)?.toJSON() ??
    [];
  for (let i = envFrom.length - 1; i >= 0; i--) {
    const kind = envFrom[i]?.secretRef ? 'Secret' : 'ConfigMap';
    const name = (envFrom[i]?.secretRef ?? envFrom[i]?.configMapRef)?.name;
    const source = name && find(objects, kind, name, namespace);
    if (!source || !keysOf(source.object).some(isKeyName)) continue;
    removed.sources.add(`${kind}/${name}`);
    if (keysOf(source.object).every(isKeyName)) {
      deleteItem(found.doc, [...container, 'envFrom'], i);
      removed.notes.push(
        `${found.file.path}: container ${found.doc.getIn([
          ...container,
          'name',
        ])} no longer reads ${kind} ${name}`,
      );
    }
  }
}

/** Removes the keys from the objects that brought them, and objects left with nothing. */
function removeKeysAtSource(
  objects: Found[],
  namespace: string,
  removed: Removed,
) {
  for (const ref of removed.sources) {
    const [kind, name] = ref.split('/');
    const source = find(objects, kind, name, namespace);
    if (!source) continue;
    source.file.changed = true;
    if (keysOf(source.object).every(isKeyName)) {
      source.file.docs = source.file.docs.filter(d => d !== source.doc);
      removed.notes.push(`${source.file.path}: removed ${kind} ${name}`);
      continue;
    }
    for (const field of ['data', 'stringData']) {
      for (const key of Object.keys((source.object as any)[field] ?? {})) {
        if (isKeyName(key)) source.doc.deleteIn([field, key]);
      }
    }
    removed.notes.push(
      `${source.file.path}: removed the AWS keys of ${kind} ${name}`,
    );
  }
}

function bindServiceAccount(
  objects: Found[],
  serviceAccount: string,
  target: ManifestTarget,
): string[] {
  const found = find(
    objects,
    'ServiceAccount',
    serviceAccount,
    target.namespace,
  );
  if (target.credentials === 'irsa') {
    if (!found || serviceAccount === 'default') {
      throw new InputError(
        `workload: ${target.workload} runs as ServiceAccount ${serviceAccount}, which is not among the repository's manifests: IRSA annotates the workload's own ServiceAccount; add one (and serviceAccountName) first.`,
      );
    }
    found.doc.setIn(
      ['metadata', 'annotations', IRSA_ROLE_ARN_ANNOTATION],
      target.roleArn,
    );
    found.file.changed = true;
    return [
      `${found.file.path}: ServiceAccount ${serviceAccount} assumes ${target.roleArn} (IRSA)`,
    ];
  }
  const annotations = found?.object.metadata?.annotations ?? {};
  const irsa = IRSA_ANNOTATIONS.filter(a => a in annotations);
  if (!found || irsa.length === 0) return [];
  for (const annotation of irsa) {
    found.doc.deleteIn(['metadata', 'annotations', annotation]);
  }
  if (Object.keys(annotations).length === irsa.length) {
    found.doc.deleteIn(['metadata', 'annotations']);
  }
  found.file.changed = true;
  return [
    `${
      found.file.path
    }: ServiceAccount ${serviceAccount} no longer carries the IRSA annotations (${irsa.join(
      ', ',
    )}), which would win over Pod Identity`,
  ];
}

function keySourcesOf(objects: Found[], namespace: string): KeySource[] {
  return objects
    .filter(o => o.object.kind === 'Secret' || o.object.kind === 'ConfigMap')
    .map(o => ({
      kind: o.object.kind as KeySource['kind'],
      namespace: o.object.metadata?.namespace ?? namespace,
      name: o.object.metadata?.name ?? '',
      keys: keysOf(o.object),
    }));
}

function serialize(file: ManifestFile): string {
  return file.docs
    .map((doc, i) => {
      const text = doc.toString();
      return i > 0 && !text.startsWith('---') ? `---\n${text}` : text;
    })
    .join('');
}

/** Drops emptied files, and their entries in the kustomization beside them. */
function writeManifests(
  files: RepositoryFiles,
  manifests: ManifestFile[],
): RepositoryFiles {
  const next = new Map(files);
  for (const file of manifests.filter(f => f.changed)) {
    if (file.docs.length > 0) {
      next.set(file.path, serialize(file));
      continue;
    }
    next.delete(file.path);
    const kustomizationPath = path.posix.join(
      path.posix.dirname(file.path),
      'kustomization.yaml',
    );
    const kustomization = next.get(kustomizationPath);
    if (!kustomization) continue;
    const doc = yaml.parseDocument(kustomization);
    const resources =
      (doc.get('resources') as yaml.YAMLSeq | undefined)?.toJSON() ?? [];
    const index = resources.indexOf(path.posix.basename(file.path));
    if (index >= 0) deleteItem(doc, ['resources'], index);
    next.set(kustomizationPath, doc.toString());
  }
  return next;
}

/**
 * The workload's manifests without static keys, and its ServiceAccount
 * bound for the target (annotated under IRSA; no IRSA annotation under Pod
 * Identity). Checked before anything is returned: if keys still reach a
 * container, nothing is written.
 */
export function fixManifests(
  files: RepositoryFiles,
  target: ManifestTarget,
): { files: RepositoryFiles; serviceAccount: string; notes: string[] } {
  const manifests = parseManifests(files);
  const objects = objectsOf(manifests);
  const workload = find(objects, isWorkload, target.workload, target.namespace);
  const template = workload && findPodTemplate(workload.object);
  if (!workload || !template) {
    throw new InputError(
      `workload: no workload named ${target.workload} in namespace ${target.namespace} among the repository's manifests (YAML files outside infra/ and .github/)`,
    );
  }
  const removed: Removed = { sources: new Set(), notes: [] };
  for (const container of containerPaths(workload)) {
    removeKeyEnvFrom(workload, container, objects, target.namespace, removed);
    removeKeyEnv(workload, container, removed);
  }
  if (removed.notes.length > 0) workload.file.changed = true;
  removeKeysAtSource(objects, target.namespace, removed);
  const pod = template.template.spec;
  const serviceAccount =
    pod?.serviceAccountName || pod?.serviceAccount || 'default';
  const notes = [
    ...removed.notes,
    ...bindServiceAccount(objects, serviceAccount, target),
  ];

  const after = objectsOf(manifests);
  const fixed = find(after, isWorkload, target.workload, target.namespace)!;
  const left = scanPodSpec(findPodTemplate(fixed.object)?.template.spec, {
    namespace: target.namespace,
    keySources: keySourcesOf(after, target.namespace),
  });
  if (left.uses.length > 0) {
    throw new InputError(
      `workload: static keys still reach ${
        target.workload
      } in ways this fix does not edit (${left.uses
        .map(
          u => `${u.container}: ${u.via}${u.source ? ` from ${u.source}` : ''}`,
        )
        .join('; ')}); remove them by hand, then run it again.`,
    );
  }
  return { files: writeManifests(files, manifests), serviceAccount, notes };
}
