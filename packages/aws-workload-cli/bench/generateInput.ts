import fs from 'node:fs';
import path from 'node:path';

/**
 * A repository-sized input: `objects` Kubernetes objects over 100 files, in
 * the mix real manifests have (a Deployment with its ServiceAccount and
 * Service; Secrets and ConfigMaps), with every credential route represented.
 */
export function writeInput(dir: string, objects: number): void {
  const perWorkload = 4; // Deployment, ServiceAccount, Service, Secret or ConfigMap
  const workloads = Math.ceil(objects / perWorkload);
  const files: string[][] = Array.from({ length: 100 }, () => []);
  for (let i = 0; i < workloads; i++) {
    const name = `svc-${i}`;
    const namespace = `team-${i % 40}`;
    const route = i % 5;
    const env =
      route === 0
        ? `
            - name: AWS_ACCESS_KEY_ID
              valueFrom: { secretKeyRef: { name: ${name}-env, key: id } }
            - name: AWS_SECRET_ACCESS_KEY
              valueFrom: { secretKeyRef: { name: ${name}-env, key: secret } }`
        : `
            - { name: LOG_LEVEL, value: info }`;
    const annotations =
      route === 1 || route === 2
        ? `
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/${name}`
        : '';
    const source =
      route === 3
        ? `apiVersion: v1
kind: ConfigMap
metadata: { name: ${name}-env, namespace: ${namespace} }
data: { FEATURE_FLAGS: "a,b,c", REGION: eu-west-1 }`
        : `apiVersion: v1
kind: Secret
metadata: { name: ${name}-env, namespace: ${namespace} }
type: Opaque
data: { id: QUtJQUlPU0ZPRE5ON0VYQU1QTEU=, secret: c2VjcmV0 }`;
    files[i % 100].push(
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
  labels: { app.kubernetes.io/name: ${name}, app.kubernetes.io/part-of: bench }
spec:
  replicas: 2
  selector:
    matchLabels: { app.kubernetes.io/name: ${name} }
  template:
    metadata:
      labels: { app.kubernetes.io/name: ${name} }
    spec:
      serviceAccountName: ${name}
      containers:
        - name: app
          image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/${name}:1.0.${i}
          ports: [{ name: http, containerPort: 8080 }]
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { memory: 256Mi }
          readinessProbe:
            httpGet: { path: /healthz, port: http }
          envFrom:
            - configMapRef: { name: ${name}-env, optional: true }
          env:${env}`,
      `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: ${namespace}${annotations}`,
      `apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { app.kubernetes.io/name: ${name} }
  ports: [{ name: http, port: 80, targetPort: http }]`,
      source,
    );
  }
  fs.mkdirSync(dir, { recursive: true });
  files.forEach((docs, i) =>
    fs.writeFileSync(
      path.join(dir, `manifests-${String(i).padStart(3, '0')}.yaml`),
      `${docs.join('\n---\n')}\n`,
    ),
  );
}
