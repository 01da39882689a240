import { ActionsRegistryActionExample } from '@backstage/backend-plugin-api/alpha';
import type { AnyZodObject } from 'zod/v3';

export const examples: ActionsRegistryActionExample<
  AnyZodObject,
  AnyZodObject
>[] = [
  {
    title: 'A Deployment that reads keys from a Secret',
    description:
      'The classifier finds static keys: AWS_ACCESS_KEY_ID comes from a Secret.',
    input: {
      manifests: `apiVersion: apps/v1
kind: Deployment
metadata: { name: vote, namespace: vote }
spec:
  selector: { matchLabels: { app: vote } }
  template:
    metadata: { labels: { app: vote } }
    spec:
      containers:
        - name: vote
          image: vote:1
          env:
            - name: AWS_ACCESS_KEY_ID
              valueFrom: { secretKeyRef: { name: aws, key: id } }
            - name: AWS_SECRET_ACCESS_KEY
              valueFrom: { secretKeyRef: { name: aws, key: secret } }
`,
    },
  },
  {
    title:
      'A ServiceAccount bound to a role by IRSA, namespace given on the side',
    description:
      'Objects without a namespace, as kubectl apply -n vote would place them.',
    input: {
      manifests: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: vote
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/vote
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: vote }
spec:
  selector: { matchLabels: { app: vote } }
  template:
    metadata: { labels: { app: vote } }
    spec:
      serviceAccountName: vote
      containers: [{ name: vote, image: vote:1 }]
`,
      namespace: 'vote',
    },
  },
];
